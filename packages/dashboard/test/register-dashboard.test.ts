import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, defaultDashboardRoot, registerDashboard } from '../src/server/index.js';

const folders: string[] = [];
function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** A built app in miniature: an index page and one hashed asset. */
function fakeBuild(): string {
  const root = tempFolder('dashboard-root-');
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><script type="module" src="/assets/index-AbCd1234.js"></script>',
  );
  writeFileSync(join(root, 'assets/index-AbCd1234.js'), 'console.log(1)');
  return root;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function appWith(root: string): Promise<FastifyInstance> {
  app = Fastify();
  app.get('/api/adapters', async () => ({ adapters: [] }));
  app.get('/metrics', async () => 'metrics');
  registerDashboard(app, { root });
  await app.ready();
  return app;
}

describe('registerDashboard', () => {
  it('serves the page at / with a strict CSP and no-cache, hashed assets with a year-long immutable cache', async () => {
    const server = await appWith(fakeBuild());
    const page = await server.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
    const asset = await server.inject('/assets/index-AbCd1234.js');
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log(1)');
    const again = await server.inject({
      url: '/assets/index-AbCd1234.js',
      headers: { 'if-none-match': asset.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });

  it("answers the app's own routes with the page, but never shadows /api or /metrics", async () => {
    const server = await appWith(fakeBuild());
    expect((await server.inject('/network')).body).toContain('<!doctype html>');
    expect((await server.inject('/sandbox?x=1')).body).toContain('<!doctype html>');
    expect((await server.inject('/api/adapters')).json()).toEqual({ adapters: [] });
    expect((await server.inject('/metrics')).body).toBe('metrics');
    const unknownApi = await server.inject('/api/nope');
    expect(unknownApi.statusCode).toBe(404);
    expect(unknownApi.json()).toEqual({ error: 'no admin API route GET /api/nope' });
    expect((await server.inject('/metrics/x')).statusCode).toBe(404);
    expect((await server.inject('/favicon.ico')).statusCode).toBe(204);
  });

  it('answers a missing file with 404, not the page, and never reads outside its folder', async () => {
    const server = await appWith(fakeBuild());
    const missing = await server.inject('/assets/gone-12345678.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
    expect((await server.inject('/../package.json')).body).not.toContain('"name"');
    // Files come from an in-memory map of the folder: a dotted path is just another app route.
    const dotted = await server.inject('/%2e%2e/%2e%2e/etc/passwd');
    expect(dotted.body).toContain('<!doctype html>');
    expect(dotted.body).not.toContain('root:');
  });

  it('refuses to mount an unbuilt app with a message that says how to build it', () => {
    const empty = tempFolder('dashboard-empty-');
    expect(() => registerDashboard(Fastify(), { root: empty })).toThrow(
      /not built: .*index\.html is missing \(run pnpm build\)/,
    );
  });
});

describe('the built app', () => {
  const root = defaultDashboardRoot();
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) =>
      statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)],
    );

  it('is under 250 KB gzipped, with no inline script and nothing from another origin', () => {
    const all = files(root);
    const gzipped = all.reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0);
    expect(gzipped).toBeLessThan(250 * 1024);
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

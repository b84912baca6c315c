import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loadStaticFiles, type StaticFile } from './static-files.js';

export interface DashboardOptions {
  /** Folder of the built app. Default: this package's `dist/app`. */
  root?: string;
}

/**
 * No inline script or style, nothing from another origin: the app is all in
 * its own files and talks only to the API that served it.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the built app is: `dist/app` beside `dist/server` (and beside `src/server` in the repository). */
export function defaultDashboardRoot(): string {
  return fileURLToPath(new URL('../../dist/app/', import.meta.url));
}

/** Paths (or URLs with a query) the admin API owns: the app's fallback must never answer them with its page. */
export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/') || path === '/metrics' || path.startsWith('/metrics/');
}

function pathOf(request: FastifyRequest): string {
  const raw = request.url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function send(request: FastifyRequest, reply: FastifyReply, file: StaticFile): Promise<void> {
  reply
    .header('content-type', file.contentType)
    .header('etag', file.etag)
    .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
  if (request.headers['if-none-match'] === file.etag) {
    await reply.code(304).send();
    return;
  }
  await reply.send(file.body);
}

/**
 * Serves the dashboard on `app`: `/` and the app's files, and the app's page
 * for any other path without a file extension (its own routes, e.g.
 * `/network`), except under `/api` and `/metrics`, which stay the admin
 * API's (an unknown API path is a JSON 404, never the page).
 * Throws when the app is not built.
 */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions = {}): void {
  const root = options.root ?? defaultDashboardRoot();
  if (!existsSync(`${root}/index.html`)) {
    throw new Error(`the dashboard is not built: ${root}index.html is missing (run pnpm build)`);
  }
  const files = loadStaticFiles(root);
  const index = files.get('/index.html') as StaticFile;

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = pathOf(request);
    if (isApiPath(path)) {
      await reply.code(404).send({ error: `no admin API route ${request.method} ${path}` });
      return;
    }
    const file = files.get(path);
    if (file) return send(request, reply, file);
    // A missing asset is a 404, not the page: a stale tab must not parse HTML as a script.
    if (/\.[A-Za-z0-9]+$/.test(path)) {
      await reply.code(404).send({ error: `no file ${path}` });
      return;
    }
    return send(request, reply, index);
  };
  app.get('/', handler);
  app.get('/*', handler);
  // The page names its icon (none, as data:), but a browser showing an API answer asks for this one.
  app.get('/favicon.ico', async (_request, reply) => {
    await reply.code(204).header('cache-control', 'public, max-age=86400').send();
  });
}

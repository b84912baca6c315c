import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaCompilersOnDemand } from './schema-compilers-on-demand.js';

const run = promisify(execFile);
const coreFolder = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A fresh node process builds a fastify server (with or without the option),
 * answers one request and prints which schema compilers it loaded: fastify's
 * module cache is per process, so this cannot be asked inside the test runner.
 */
async function compilersLoadedBy(withOption: boolean): Promise<{ ajv: boolean; serializer: boolean }> {
  const script = `
    import { createRequire } from 'node:module';
    import Fastify from 'fastify';
    import { schemaCompilersOnDemand } from '@onebot-gateway/core/internal';
    const options = ${withOption} ? { schemaController: schemaCompilersOnDemand(import.meta.url) } : {};
    const app = Fastify({ logger: false, ...options });
    app.get('/', async () => ({ ok: true }));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    await (await fetch(address)).text();
    await app.close();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({
      ajv: loaded.some((path) => path.includes('/ajv/')),
      // fastify's error serializer always loads fast-json-stringify's small runtime; the compiler is its index.
      serializer: loaded.some((path) => path.endsWith('/fast-json-stringify/index.js')),
    }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: coreFolder });
  return JSON.parse(stdout) as { ajv: boolean; serializer: boolean };
}

describe('schemaCompilersOnDemand', () => {
  const apps: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('a server with no route schema never loads ajv or fast-json-stringify (fastify alone loads both)', async () => {
    expect(await compilersLoadedBy(false)).toEqual({ ajv: true, serializer: true });
    expect(await compilersLoadedBy(true)).toEqual({ ajv: false, serializer: false });
  });

  it("a route that declares schemas gets fastify's own validation and serialisation", async () => {
    const app = Fastify({
      logger: false,
      schemaController: schemaCompilersOnDemand<FastifyServerOptions['schemaController']>(import.meta.url),
    });
    apps.push(app);
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ n: (request.body as { n: number }).n, extra: 'left out by the response schema' }),
    );
    const valid = await app.inject({ method: 'POST', url: '/echo', payload: { n: 7 } });
    expect(valid.statusCode).toBe(200);
    expect(valid.body).toBe('{"n":7}');
    const invalid = await app.inject({ method: 'POST', url: '/echo', payload: { m: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ message: "body must have required property 'n'" });
  });
});

import JSON5 from 'json5';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isJsonTextNestedDeeperThan } from '@onebot-gateway/core/internal';
import type { ApplyResult } from '../adapter-supervisor.js';
import type { DashboardSources } from './dashboard-sources.js';
import { maskSecrets, restoreMaskedSecrets } from './config-mask.js';

/** Largest `PUT /api/config` body: far beyond any real config (a big sandbox world is a few KiB). */
export const CONFIG_BODY_LIMIT = 1024 * 1024;

/**
 * Deepest nesting (arrays and objects) a `PUT /api/config` body may have. A
 * real config is about 5 levels deep; the mask restore and the config
 * parser walk the body recursively, so 10,000 levels must be refused before
 * anything parses or walks them.
 */
export const CONFIG_MAX_DEPTH = 128;

/** Marks the parser's depth refusal so the error handler can say what it is. */
const TOO_DEEP = 'ONEBOT_GATEWAY_CONFIG_TOO_DEEP';

export type AdapterOutcome = 'started' | 'reloaded' | 'stopped' | 'unchanged' | 'failed';

/**
 * The per-adapter answer of a save: each adapter name with what the apply
 * did to it, in the order of `names` (the saved file's), removed ones last.
 */
export function adapterOutcomes(
  result: ApplyResult,
  names: readonly string[] = [],
): Array<{ name: string; result: AdapterOutcome; reason?: string }> {
  const outcomes: Array<{ name: string; result: AdapterOutcome; reason?: string }> = [];
  for (const outcome of ['started', 'reloaded', 'stopped', 'unchanged', 'failed'] as const) {
    for (const name of result[outcome]) {
      const reason = outcome === 'failed' ? result.reasons[name] : undefined;
      outcomes.push({ name, result: outcome, ...(reason === undefined ? {} : { reason }) });
    }
  }
  const position = (name: string) => {
    const index = names.indexOf(name);
    return index === -1 ? names.length : index;
  };
  return outcomes.sort((a, b) => position(a.name) - position(b.name));
}

/** Entry names of a config body, in file order. */
function entryNames(config: unknown): string[] {
  const network = (config as { network?: unknown } | null)?.network;
  if (typeof network !== 'object' || network === null) return [];
  return Object.values(network).flatMap((entries: unknown) =>
    Array.isArray(entries)
      ? entries.flatMap((entry: unknown) => {
          const name = (entry as { name?: unknown } | null)?.name;
          return typeof name === 'string' ? [name] : [];
        })
      : [],
  );
}

function noFile(reply: FastifyReply): FastifyReply {
  return reply.code(409).send({
    error:
      'the gateway runs an in-memory config (no config file); start it with a config file to read or change it here',
  });
}

function configBodyErrorHandler(error: FastifyError, _request: unknown, reply: FastifyReply): FastifyReply {
  if (error.code === TOO_DEEP) {
    return reply.code(400).send({
      error: `the config was not saved: it is nested deeper than ${CONFIG_MAX_DEPTH} levels (a config file is a few levels deep); nothing changed`,
      problems: [
        { path: '', message: `nested deeper than ${CONFIG_MAX_DEPTH} levels of arrays and objects` },
      ],
    });
  }
  if (error.statusCode === 413) {
    return reply.code(413).send({ error: `the config is larger than ${CONFIG_BODY_LIMIT} bytes` });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.code(error.statusCode).send({
      error: `send the whole config file as JSON (content-type: application/json): ${error.message}`,
      problems: [{ path: '', message: `not valid JSON: ${error.message}` }],
    });
  }
  throw error;
}

/**
 * `GET /api/config` (the running file, secrets masked) and `PUT /api/config`
 * (a whole file; a mask keeps the current secret; validated, written
 * atomically with a .bak, applied by hot reload, answered per adapter).
 */
export function registerConfigRoutes(app: FastifyInstance, sources: DashboardSources): void {
  app.get('/api/config', async (_request, reply) => {
    const file = sources.configFile;
    if (!file) return noFile(reply);
    // The running text was valid when it was loaded: JSON5 reads it back as written (comments aside).
    return reply.send(maskSecrets(JSON5.parse(file.text())));
  });

  // The PUT's own JSON parser: Fastify's (same __proto__ handling), after a
  // depth scan of the text, so a body of 1 MiB of `[` is a 400, never a stack overflow.
  void app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'ignore');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
      const body = raw as string; // parseAs: 'string'
      if (isJsonTextNestedDeeperThan(body, CONFIG_MAX_DEPTH)) {
        done(
          Object.assign(new Error(`nested deeper than ${CONFIG_MAX_DEPTH} levels`), {
            code: TOO_DEEP,
            statusCode: 400,
          }),
          undefined,
        );
        return;
      }
      parseJson(request, body, done);
    });
    scope.put(
      '/api/config',
      { bodyLimit: CONFIG_BODY_LIMIT, errorHandler: configBodyErrorHandler },
      async (request, reply) => {
        const file = sources.configFile;
        if (!file) return noFile(reply);
        const replacement = await file.replace((currentText) =>
          restoreMaskedSecrets(request.body, JSON5.parse(currentText)),
        );
        if (!replacement.ok && 'changedOnDisk' in replacement) {
          return reply.code(409).send({ error: replacement.changedOnDisk });
        }
        if (!replacement.ok) {
          return reply.code(400).send({
            error: `the config was not saved: ${replacement.problems.length} problem(s); nothing changed`,
            problems: replacement.problems,
          });
        }
        return reply.send({
          saved: true,
          adapters: adapterOutcomes(replacement.result, entryNames(request.body)),
          restartRequired: replacement.restartRequired,
        });
      },
    );
  });
}

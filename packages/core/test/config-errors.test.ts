import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OneBotError } from '../src/errors.js';
import { loadConfigFile } from '../src/config/load-config-file.js';
import { parseConfig } from '../src/config/parse-config.js';
import type { ConfigProblem } from '../src/config/problems.js';
import { resolveAdapterConfig } from '../src/config/resolve-entry.js';

const file = 'config/onebot11.json';

/** The CONFIG_INVALID error parseConfig throws for a config object. */
function errorFor(config: unknown, text = JSON.stringify(config)): OneBotError {
  try {
    parseConfig(text, { fileName: file });
  } catch (error) {
    expect(error).toBeInstanceOf(OneBotError);
    expect((error as OneBotError).code).toBe('CONFIG_INVALID');
    return error as OneBotError;
  }
  throw new Error('expected parseConfig to throw');
}

const problemsOf = (error: OneBotError) => (error.details?.['problems'] ?? []) as ConfigProblem[];
const linesOf = (config: unknown) =>
  problemsOf(errorFor(config)).map((problem) => `${problem.path}: ${problem.message}`);

describe('error format', () => {
  it('names the file, the entry and the key (the documented example)', () => {
    const error = errorFor({ network: { websocketServers: [{ name: 'a' }, { name: 'b', port: 'abc' }] } });
    expect(error.message).toBe(
      'config/onebot11.json: network.websocketServers[1].port: expected an integer 0-65535, got "abc"',
    );
    expect(error.details).toEqual({
      file,
      problems: [
        { path: 'network.websocketServers[1].port', message: 'expected an integer 0-65535, got "abc"' },
      ],
    });
  });

  it('collects every problem of the file into one error, one per line', () => {
    const error = errorFor({
      network: {
        httpServers: [{ port: 70000, enable: 'maybe' }],
        httpClients: [{ url: 'ftp://example.com' }],
      },
      gateway: { logLevel: 'loud' },
    });
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('config/onebot11.json: 4 problems; fix them and try again:');
    expect(lines.slice(1)).toEqual([
      '  config/onebot11.json: network.httpServers[0].enable: expected true or false, got "maybe"',
      '  config/onebot11.json: network.httpServers[0].port: expected an integer 0-65535, got 70000',
      '  config/onebot11.json: network.httpClients[0].url: expected an http:// or https:// URL, got "ftp://example.com"',
      '  config/onebot11.json: gateway.logLevel: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "loud"',
    ]);
    expect(problemsOf(error)).toHaveLength(4);
  });

  it('accepts the file name as a plain string too', () => {
    expect(() => parseConfig('{"network": {"plugins": 1}}', 'bot.json')).toThrow(
      'bot.json: network.plugins: expected an array of entries, got 1',
    );
  });

  it('names a placeholder when the text has no file name', () => {
    expect(() => parseConfig('{"network": {"httpServers": [{"port": "x"}]}}')).toThrow(
      '<inline config>: network.httpServers[0].port: expected an integer 0-65535, got "x"',
    );
  });
});

describe('value errors', () => {
  it.each([
    ['port text', { port: 'abc' }, 'port: expected an integer 0-65535, got "abc"'],
    ['negative port', { port: -1 }, 'port: expected an integer 0-65535, got -1'],
    ['fractional port', { port: 3000.5 }, 'port: expected an integer 0-65535, got 3000.5'],
    ['port as an array', { port: [3000] }, 'port: expected an integer 0-65535, got an array'],
    ['boolean word', { enableCors: 'yes please' }, 'enableCors: expected true or false, got "yes please"'],
    [
      'message format',
      { messagePostFormat: 'json' },
      'messagePostFormat: expected "array" or "string", got "json"',
    ],
    ['token object', { token: { value: 'x' } }, 'token: expected a string, got an object'],
    ['empty name', { name: '  ' }, 'name: expected a non-empty string, got "  "'],
    ['body size 0', { maxBodySize: 0 }, 'maxBodySize: expected an integer >= 1 (bytes), got 0'],
    [
      'negative interval',
      { heartInterval: -5 },
      'heartInterval: expected an integer 0-2147483647 (milliseconds), got -5',
    ],
    [
      'interval past the timer limit',
      { heartInterval: 2 ** 31 },
      'heartInterval: expected an integer 0-2147483647 (milliseconds), got 2147483648',
    ],
  ])('%s', (_label, entry, message) => {
    expect(linesOf({ network: { httpServers: [entry] } })).toEqual([`network.httpServers[0].${message}`]);
  });

  it('rejects client URLs with the wrong scheme, and empty ones in enabled entries', () => {
    expect(
      linesOf({
        network: {
          httpClients: [
            { name: 'a', url: 'ws://x' },
            { name: 'b', enable: true, url: '' },
            { name: 'c', url: '' },
          ],
          websocketClients: [
            { name: 'd', url: 'not a url' },
            { name: 'e', url: 'https://ok.example/ws' },
          ],
        },
      }),
    ).toEqual([
      'network.httpClients[0].url: expected an http:// or https:// URL, got "ws://x"',
      'network.httpClients[1].url: must not be empty in an enabled entry: expected an http:// or https:// URL',
      'network.websocketClients[0].url: expected a ws://, wss://, http:// or https:// URL, got "not a url"',
    ]);
  });

  it('rejects client limits that would stall delivery', () => {
    expect(
      linesOf({
        network: {
          httpClients: [{ timeout: 0, concurrency: '0', queueSize: -1, retries: 'many' }],
          websocketClients: [{ reconnectInterval: 0, bufferSize: -1 }],
        },
      }),
    ).toEqual([
      'network.httpClients[0].timeout: expected an integer 1-2147483647 (milliseconds), got 0',
      'network.httpClients[0].concurrency: expected an integer >= 1, got "0"',
      'network.httpClients[0].queueSize: expected an integer >= 1, got -1',
      'network.httpClients[0].retries: expected an integer >= 0, got "many"',
      'network.websocketClients[0].reconnectInterval: expected an integer 1-2147483647 (milliseconds), got 0',
      'network.websocketClients[0].bufferSize: expected an integer >= 0, got -1',
    ]);
  });

  it('rejects a plugin whose options are not an object', () => {
    expect(linesOf({ network: { plugins: [{ options: [1] }] } })).toEqual([
      'network.plugins[0].options: expected an object, got an array',
    ]);
  });

  it('never puts an access token from a URL into the message', () => {
    const error = errorFor({ network: { httpClients: [{ url: 'ws://host/?access_token=SECRET-123' }] } });
    expect(error.message).toContain('access_token=***');
    expect(error.message).not.toContain('SECRET-123');
  });

  it('shortens very long values', () => {
    const error = errorFor({ network: { httpServers: [{ port: 'x'.repeat(5000) }] } });
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('structure errors', () => {
  it.each([
    ['a top-level array', [], ': expected an object like {"network": {...}}, got an array'],
    ['a top-level string', 'hello', ': expected an object like {"network": {...}}, got "hello"'],
    [
      'network as an array',
      { network: [] },
      'network: expected an object holding the adapter arrays, got an array',
    ],
    [
      'an adapter list as an object',
      { network: { httpServers: {} } },
      'network.httpServers: expected an array of entries, got an object',
    ],
    [
      'an entry that is a string',
      { network: { plugins: ['echo'] } },
      'network.plugins[0]: expected an object (one plugins entry), got "echo"',
    ],
    ['gateway as a string', { gateway: 'on' }, 'gateway: expected an object, got "on"'],
    ['admin as a boolean', { gateway: { admin: false } }, 'gateway.admin: expected an object, got false'],
  ])('%s', (_label, config, line) => {
    expect(linesOf(config)).toEqual([line]);
  });

  it('reports JSON syntax errors with line and column', () => {
    const error = errorFor(undefined, '{\n  "network": {\n    "httpServers": [,]\n  }\n}');
    expect(error.message).toMatch(
      /^config\/onebot11\.json: line 3, column 21: not valid JSON \(or JSON5\): invalid character ','$/,
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports an empty file', () => {
    expect(errorFor(undefined, '  \n').message).toBe(
      'config/onebot11.json: the file is empty; it needs at least {"network": {}}',
    );
  });
});

describe('cross-entry errors', () => {
  it('rejects duplicate names across all arrays, including two defaulted names', () => {
    expect(
      linesOf({
        network: {
          httpServers: [{ name: 'bot', port: 1 }],
          websocketClients: [{ name: 'bot' }],
          plugins: [{}, {}],
        },
      }),
    ).toEqual([
      'network.websocketClients[0].name: duplicate name "bot" (also used by network.httpServers[0]); every entry in every network array needs its own name',
      'network.plugins[1].name: duplicate name "plugin" (also used by network.plugins[0]); every entry in every network array needs its own name',
    ]);
  });

  it('rejects two enabled servers on one host:port, whatever their kinds', () => {
    expect(
      linesOf({
        network: {
          httpServers: [{ name: 'http', enable: true, port: 3001 }],
          websocketServers: [{ name: 'ws', enable: true, port: '3001' }],
        },
      }),
    ).toEqual([
      'network.websocketServers[0].port: websocketServers entry "ws" would listen on 127.0.0.1:3001, which httpServers entry "http" (network.httpServers[0]) already uses; give one of them another port or disable one',
    ]);
  });

  it('treats 0.0.0.0, :: and "" as clashing with any host on the same port', () => {
    const config = (host: string) => ({
      network: {
        httpServers: [{ name: 'a', enable: true, host: '127.0.0.1', port: 4000 }],
        httpSseServers: [{ name: 'b', enable: true, host, port: 4000 }],
      },
    });
    for (const host of ['0.0.0.0', '::', '']) expect(linesOf(config(host))).toHaveLength(1);
    expect(() => parseConfig(JSON.stringify(config('192.168.1.2')))).not.toThrow();
  });

  it('lets disabled servers, different ports and port 0 coexist', () => {
    const config = {
      network: {
        httpServers: [
          { name: 'a', enable: true, port: 0 },
          { name: 'b', enable: true, port: 0 },
          { name: 'c', enable: false, port: 3001 },
        ],
        websocketServers: [{ name: 'd', enable: true, port: 3001 }],
        httpSseServers: [{ name: 'e', enable: true, port: 3002 }],
      },
    };
    expect(() => parseConfig(JSON.stringify(config))).not.toThrow();
  });

  it('checks the admin API port too, unless the admin API is disabled', () => {
    const config = (enable: boolean) => ({
      network: { websocketServers: [{ enable: true, port: 6099 }] },
      gateway: { admin: { enable } },
    });
    expect(linesOf(config(true))).toEqual([
      'gateway.admin.port: the admin API would listen on 127.0.0.1:6099, which websocketServers entry "websocket-server" (network.websocketServers[0]) already uses; give one of them another port or disable one',
    ]);
    expect(() => parseConfig(JSON.stringify(config(false)))).not.toThrow();
  });
});

describe('gateway section errors', () => {
  it.each([
    [
      'an unknown backend type',
      { type: 'mirai' },
      'gateway.backend.type: expected "sandbox", "upstream" or "nats", got "mirai"',
    ],
    [
      'a url without a type',
      { url: 'ws://127.0.0.1:3001' },
      'gateway.backend.type: expected "sandbox", "upstream" or "nats", is missing (a "url" is set: did you mean "upstream"?)',
    ],
    [
      'an upstream without url',
      { type: 'upstream' },
      'gateway.backend.url: is required: expected a ws:// or wss:// URL',
    ],
    [
      'an upstream with an empty url',
      { type: 'upstream', url: '' },
      'gateway.backend.url: must not be empty: expected a ws:// or wss:// URL',
    ],
    [
      'an upstream http url',
      { type: 'upstream', url: 'http://x' },
      'gateway.backend.url: expected a ws:// or wss:// URL, got "http://x"',
    ],
    [
      'an upstream timeout of 0',
      { type: 'upstream', url: 'ws://x', timeout: 0 },
      'gateway.backend.timeout: expected an integer 1-2147483647 (milliseconds), got 0',
    ],
    [
      'a backend that is a string',
      'sandbox',
      'gateway.backend: expected an object like {"type": "sandbox"}, got "sandbox"',
    ],
  ])('%s', (_label, backend, line) => {
    expect(linesOf({ gateway: { backend } })).toEqual([line]);
  });
});

describe('resolveAdapterConfig errors', () => {
  it('names the kind and entry name when there is no file', () => {
    expect(() => resolveAdapterConfig('websocketServers', { name: 'ws-main', port: 'abc' })).toThrow(
      'websocketServers["ws-main"].port: expected an integer 0-65535, got "abc"',
    );
  });

  it('uses the file and path it is given', () => {
    expect(() =>
      resolveAdapterConfig(
        'httpClients',
        { url: 'nope' },
        { fileName: 'a.json', path: 'network.httpClients[2]' },
      ),
    ).toThrow('a.json: network.httpClients[2].url: expected an http:// or https:// URL, got "nope"');
  });

  it('rejects an unknown kind', () => {
    expect(() => resolveAdapterConfig('grpcServers' as never, {})).toThrow(
      /unknown adapter kind "grpcServers"/,
    );
  });

  it('rejects an entry that is not an object', () => {
    expect(() => resolveAdapterConfig('plugins', 'x' as never)).toThrow(OneBotError);
  });
});

describe('loadConfigFile errors', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('says the file is missing, with a code', async () => {
    dir = mkdtempSync(join(tmpdir(), 'onebot-config-'));
    const path = join(dir, 'missing.json');
    const error = await loadConfigFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneBotError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { file: path, reason: 'ENOENT' } });
    expect((error as Error).message).toBe(
      `config file ${path} not found; check the path, or create the file (a NapCat onebot11.json works as is)`,
    );
  });

  it('says when the path is a directory', async () => {
    dir = mkdtempSync(join(tmpdir(), 'onebot-config-'));
    await expect(loadConfigFile(dir)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { reason: 'EISDIR' },
    });
  });
});

describe('hostile input', () => {
  it('survives deeply nested unknown values and large files', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const config = parseConfig(
      `{"junk": ${deep}, "network": {"httpServers": [{"name": "h", "note": "${'x'.repeat(1_000_000)}"}]}}`,
    );
    expect(config.network.httpServers[0]?.name).toBe('h');
  });

  it('turns binary garbage into a CONFIG_INVALID error, not a crash', () => {
    expect(() => parseConfig(Buffer.from([0xff, 0x00, 0x7b, 0x0a, 0x80]).toString('utf8'))).toThrow(
      OneBotError,
    );
  });
});

describe('gateway.rateLimit', () => {
  it.each([
    [
      'a frequency of 0',
      { frequency: 0 },
      'gateway.rateLimit.frequency: expected a number > 0 (tokens per second, e.g. 0.5 for one call every 2 s), got 0',
    ],
    [
      'a frequency that is not a number',
      { frequency: 'fast' },
      'gateway.rateLimit.frequency: expected a number > 0 (tokens per second, e.g. 0.5 for one call every 2 s), got "fast"',
    ],
    ['a bucket of 0', { bucket: 0 }, 'gateway.rateLimit.bucket: expected an integer >= 1, got 0'],
    ['a negative maxQueue', { maxQueue: -1 }, 'gateway.rateLimit.maxQueue: expected an integer >= 0, got -1'],
    [
      'actions that are not strings',
      { actions: [{ name: 'send_msg' }] },
      'gateway.rateLimit.actions: expected an array of strings, got an array',
    ],
    [
      'a rateLimit that is not an object',
      true,
      'gateway.rateLimit: expected an object like {"enable": true}, got true',
    ],
  ])('%s', (_label, rateLimit, line) => {
    expect(linesOf({ gateway: { rateLimit } })).toEqual([line]);
  });
});

describe('event filters', () => {
  const withFilter = (filter: unknown) => ({ network: { websocketServers: [{ filter }] } });

  it('names the entry and the unknown operator', () => {
    expect(errorFor(withFilter({ group_id: { $foo: 1 } })).message).toBe(
      'config/onebot11.json: network.websocketServers[0].filter: unknown operator "$foo" (at group_id)',
    );
    expect(linesOf({ network: { plugins: [{}, { name: 'p2', filter: { $where: 'true' } }] } })).toEqual([
      'network.plugins[1].filter: unknown operator "$where"',
    ]);
  });

  it('refuses a bad regular expression, naming $regex', () => {
    expect(linesOf(withFilter({ raw_message: { $regex: '(' } }))).toEqual([
      expect.stringMatching(
        /^network\.websocketServers\[0\]\.filter: operator "\$regex": .*\(at raw_message\)$/,
      ),
    ]);
  });

  it('refuses wrong shapes, naming the operator', () => {
    expect(linesOf(withFilter({ group_id: { $in: 123 } }))).toEqual([
      'network.websocketServers[0].filter: operator "$in" expects an array (at group_id.$in)',
    ]);
    expect(linesOf(withFilter({ $or: {} }))).toEqual([
      'network.websocketServers[0].filter: operator "$or" expects a non-empty array of queries (at $or)',
    ]);
    expect(linesOf(withFilter({ message: { $elemMatch: { type: { $bogus: 1 } } } }))).toEqual([
      'network.websocketServers[0].filter: unknown operator "$bogus" (at message.$elemMatch.type)',
    ]);
    expect(linesOf(withFilter('group_id=1'))).toEqual([
      'network.websocketServers[0].filter: expected an object such as {"group_id": {"$in": [123]}}',
    ]);
  });

  it('accepts every documented operator, on every adapter kind', () => {
    const filter = {
      $and: [{ group_id: { $in: [1], $nin: [2], $ne: 3, $gt: 0, $gte: 1, $lt: 9, $lte: 8 } }],
      $or: [{ user_id: { $eq: 4 } }, { raw_message: { $regex: '^hi', $options: 'i' } }],
      $nor: [{ 'sender.role': { $exists: false } }],
      sub_type: { $not: { $in: ['anonymous'] } },
      message: { $elemMatch: { type: 'at', 'data.qq': '10000' } },
    };
    const kinds = [
      'httpServers',
      'httpSseServers',
      'websocketServers',
      'httpClients',
      'websocketClients',
      'plugins',
    ];
    const network = Object.fromEntries(
      kinds.map((kind, index) => [kind, [{ name: `a${index}`, port: 0, filter }]]),
    );
    const config = parseConfig(JSON.stringify({ network }), { fileName: file });
    for (const kind of kinds) {
      expect((config.network as Record<string, Array<{ filter: unknown }>>)[kind]![0]!.filter).toEqual(
        filter,
      );
    }
  });

  it('resolveAdapterConfig (the adapter factories) refuses a bad filter too', () => {
    expect(() => resolveAdapterConfig('httpClients', { filter: { $text: 'x' } })).toThrow(
      'httpClients["http-client"].filter: unknown operator "$text"',
    );
  });
});

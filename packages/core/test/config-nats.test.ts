import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/parse-config.js';
import { expectedNatsConnectionDefaults } from './helpers/expected-defaults.js';

const problemsOf = (config: unknown): string => {
  try {
    parseConfig(JSON.stringify(config));
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('distributed mode keys', () => {
  it('an edge backend gets its defaults and needs the account it serves', () => {
    const config = parseConfig(JSON.stringify({ gateway: { backend: { type: 'nats', selfId: '10000' } } }));
    expect(config.gateway.backend).toEqual({
      type: 'nats',
      ...expectedNatsConnectionDefaults,
      selfId: 10000,
      actionTimeout: 30000,
      maxPayload: 16 * 1024 * 1024,
    });
    expect(problemsOf({ gateway: { backend: { type: 'nats' } } })).toMatch(
      /gateway\.backend\.selfId: is required: expected the account's QQ number \(an integer >= 1\)/,
    );
  });

  it('refuses subject prefixes and stream names NATS would refuse, naming the key', () => {
    const message = problemsOf({
      network: {
        natsBridges: [{ name: 'b', subjectPrefix: 'onebot.*', stream: 'ONE.BOT' }],
      },
      gateway: { backend: { type: 'nats', selfId: 1, subjectPrefix: 'a..b' } },
    });
    expect(message).toMatch(/network\.natsBridges\[0\]\.subjectPrefix: expected a NATS subject prefix/);
    expect(message).toMatch(/network\.natsBridges\[0\]\.stream: expected a JetStream stream name/);
    expect(message).toMatch(/gateway\.backend\.subjectPrefix: expected a NATS subject prefix/);
  });

  it('takes servers as a list or a comma-separated string', () => {
    const config = parseConfig(
      JSON.stringify({ network: { natsBridges: [{ name: 'b', servers: 'nats://a:4222, nats://b:4222' }] } }),
    );
    expect(config.network.natsBridges[0]!.servers).toEqual(['nats://a:4222', 'nats://b:4222']);
  });
});

import { describe, expect, it } from 'vitest';
import { createGatewayLogger, logTapOf } from './logger.js';

describe('the gateway logger feeds the admin log tap', () => {
  for (const pretty of [false, true]) {
    it(`hands the tap each line as redacted JSON (${pretty ? 'readable terminal' : 'JSON'} output)`, async () => {
      const logger = await createGatewayLogger({ pretty, level: 'warn' });
      const tap = logTapOf(logger)!;
      expect(tap).toBeDefined();
      // One line on this test's stdout; child loggers share the tap.
      logger.child({ adapter: 'api' }).warn({ token: 'tap-secret-1' }, 'tap check');
      logger.info('below the level: neither printed nor tapped');
      const lines = tap.recent().map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, adapter: 'api', token: '***', msg: 'tap check' }),
      ]);
      expect(tap.recent().join('\n')).not.toContain('tap-secret-1');
    });
  }

  it('has no tap for a logger it did not make', () => {
    expect(logTapOf({})).toBeUndefined();
  });
});

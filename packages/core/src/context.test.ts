import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from './bus/event-bus.js';
import { createAdapterContext } from './context.js';
import type { Logger } from './logger.js';
import { createActionRouter } from './router/action-router.js';

const router = createActionRouter();
afterEach(() => router.dispose());

describe('createAdapterContext', () => {
  it('gives an adapter a child logger named after it, the router, the bus and the self id', async () => {
    const bindings: Array<Record<string, unknown>> = [];
    const logger: Logger = {
      trace: () => {},
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: () => {},
      fatal: () => {},
      child: (b) => {
        bindings.push(b);
        return logger;
      },
    };
    const bus = createEventBus();
    router.register('get_login_info', () => ({ user_id: 10001, nickname: 'bot' }));
    let selfId = 0;
    const context = createAdapterContext({ router, bus, logger, selfId: () => selfId }, 'ws-main');
    expect(bindings).toEqual([{ adapter: 'ws-main' }]);

    selfId = 10001;
    expect(context.selfId()).toBe(10001);
    expect(await context.callAction({ action: 'get_login_info', echo: 0 })).toMatchObject({
      retcode: 0,
      echo: 0,
    });
    expect(await context.callAction({ action: 'nope' })).toMatchObject({ retcode: 1404 });

    const seen: string[] = [];
    const unsubscribe = context.subscribe({ format: 'string', reportSelfMessage: false }, (d) =>
      seen.push(d.json),
    );
    bus.publish({ time: 1, self_id: 10001, post_type: 'notice', notice_type: 'friend_add', user_id: 2 });
    unsubscribe();
    bus.publish({ time: 2, self_id: 10001, post_type: 'notice', notice_type: 'friend_add', user_id: 3 });
    expect(seen.map((json) => JSON.parse(json).user_id)).toEqual([2]);
    expect(context.backendStatus()).toEqual({ online: true, good: true });
  });

  it('reports the backend status it is given, and works without a logger', () => {
    const context = createAdapterContext(
      {
        router,
        bus: createEventBus(),
        selfId: () => 1,
        backendStatus: () => ({ online: false, good: false }),
      },
      'x',
    );
    expect(context.backendStatus()).toEqual({ online: false, good: false });
    expect(() => context.logger.info('quiet')).not.toThrow();
  });
});

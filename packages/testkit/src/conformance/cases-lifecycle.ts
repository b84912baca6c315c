import { expect } from 'vitest';
import { FAKE_SELF_ID } from '../fake-backend.js';
import type { ConformanceCase } from './case-types.js';

/** Stopping: idempotent, and nothing left listening, streaming or connected. */
export const lifecycleCases: ConformanceCase[] = [
  {
    group: 'lifecycle',
    name: 'stop() is idempotent: a second and a concurrent call resolve too',
    needs: [],
    async run(t) {
      await t.start();
      await Promise.all([t.target.stop(), t.target.stop()]);
      await t.target.stop();
    },
  },
  {
    group: 'lifecycle',
    name: 'stop() leaves nothing listening: a call after it cannot connect',
    needs: ['listens'],
    async run(t) {
      const h = await t.start();
      expect(await h.answer({ action: 'get_login_info' })).toMatchObject({ retcode: 0 });
      await t.target.stop();
      await expect(h.call({ action: 'get_login_info' })).rejects.toThrow();
    },
  },
  {
    group: 'lifecycle',
    name: 'stop() ends open event streams',
    needs: ['listens', 'receivesEvents'],
    async run(t) {
      const h = await t.start();
      const stream = await h.events();
      await t.target.stop();
      await expect(stream.next(t.timeoutMs)).rejects.toThrow(/closed|ended|no more/i);
    },
  },
  {
    group: 'lifecycle',
    name: 'stop() closes the connection with 1001 (going away)',
    needs: ['reverseWs'],
    async run(t) {
      const h = await t.start();
      await h.clientHeaders(); // waits for the adapter's connection
      const received = await h.connection();
      await t.target.stop();
      expect(await received.closed).toBe(1001);
    },
  },
  {
    group: 'lifecycle',
    name: 'posts lifecycle disable when it stops, after enable',
    needs: ['postsEvents', 'lifecycle'],
    async run(t) {
      const h = await t.start();
      const first = await h.nextPost('lifecycle enable POST');
      expect(first.event).toMatchObject({ meta_event_type: 'lifecycle', sub_type: t.caps.lifecycle });
      await t.target.stop();
      const last = await h.nextPost('lifecycle disable POST');
      expect(last.event).toMatchObject({
        post_type: 'meta_event',
        meta_event_type: 'lifecycle',
        sub_type: 'disable',
        self_id: FAKE_SELF_ID,
      });
    },
  },
];

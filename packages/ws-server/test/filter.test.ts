import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './helpers.js';

describe('event filter (the entry\'s "filter" key)', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.teardown());

  it('a client of a filtered entry gets only matching events; a client of an unfiltered one gets all', async () => {
    const filtered = await h.start({ name: 'only-groups', filter: { group_id: { $in: [30003, 30005] } } });
    const open = await h.start({ name: 'everything' });
    const groupsOnly = await h.connect(filtered, '/event');
    const all = await h.connect(open, '/event');
    expect(await groupsOnly.next()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });
    expect(await all.next()).toMatchObject({ meta_event_type: 'lifecycle', sub_type: 'connect' });

    h.backend.emitMessage({ message_id: 1 });
    h.backend.emitMessage({ message_type: 'group', group_id: 30004, message_id: 2 });
    h.backend.emitMessage({ message_type: 'group', group_id: 30005, message_id: 3 });
    h.backend.emitMessage({ message_type: 'group', group_id: 30003, message_id: 4 });

    expect(await groupsOnly.next()).toMatchObject({ message_id: 3, group_id: 30005 });
    expect(await groupsOnly.next()).toMatchObject({ message_id: 4, group_id: 30003 });
    for (const id of [1, 2, 3, 4]) expect(await all.next()).toMatchObject({ message_id: id });
    expect(filtered.status().eventsSent).toBe(2);
  });

  it('reload applies a changed filter to the open connection without dropping it', async () => {
    const adapter = await h.start({ filter: { group_id: 30003 } });
    const client = await h.connect(adapter, '/');
    await client.next();
    let closed = false;
    client.ws.once('close', () => (closed = true));

    h.backend.emitMessage({ message_type: 'group', group_id: 30004, message_id: 10 });
    h.backend.emitMessage({ message_type: 'group', group_id: 30003, message_id: 11 });
    expect(await client.next()).toMatchObject({ message_id: 11 });

    await adapter.reload({ ...adapter.config, filter: { group_id: 30004 } });
    h.backend.emitMessage({ message_type: 'group', group_id: 30003, message_id: 12 });
    h.backend.emitMessage({ message_type: 'group', group_id: 30004, message_id: 13 });
    expect(await client.next()).toMatchObject({ message_id: 13 });

    // Removing the filter: every event again.
    const { filter: _removed, ...unfiltered } = adapter.config;
    await adapter.reload(unfiltered as typeof adapter.config);
    h.backend.emitMessage({ message_type: 'group', group_id: 30003, message_id: 14 });
    expect(await client.next()).toMatchObject({ message_id: 14 });

    expect(closed).toBe(false);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(adapter.status().connections).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { until, type GatewayProcess } from './support/gateway-process.js';
import { startNatsCluster, SANDBOX_SELF_ID } from './support/nats-cluster.js';
import { openSse, type SseReader } from './support/sse-reader.js';

interface Received {
  post_type?: string;
  message_id?: number;
}

describe('distributed mode: sandbox origin -> real nats-server -> edge gateway', () => {
  const fixture = useGatewayProcesses();

  it('a ws client on the edge gets the origin’s events and its actions land in the sandbox with their echo', async () => {
    const cluster = fixture.manage(await startNatsCluster());
    const edge = await cluster.startEdge({ websocketServers: [{ name: 'edge-ws', enable: true, port: 0 }] });
    const health = await edge.admin<{ status: string; backend: { type: string; selfId: number } }>(
      '/api/health',
    );
    expect(health.body).toMatchObject({ status: 'ok', backend: { type: 'nats', selfId: SANDBOX_SELF_ID } });

    const client = await fixture.connect(edge, 'edge-ws');
    expect(await client.next((frame) => frame.sub_type === 'connect')).toMatchObject({
      self_id: SANDBOX_SELF_ID,
    });

    const ids: number[] = [];
    for (let index = 0; index < 20; index += 1) ids.push(await cluster.inject(`hello ${index}`));
    await client.next((frame) => frame.message_id === ids.at(-1), 10_000);
    const received = client.frames.filter((frame) => frame.post_type === 'message');
    expect(received.map((frame) => frame.message_id)).toEqual(ids);
    expect(received[0]).toMatchObject({ self_id: SANDBOX_SELF_ID, user_id: 10001, raw_message: 'hello 0' });

    const answer = await client.call('send_private_msg', { user_id: 10001, message: 'reply from the edge' });
    expect(answer).toMatchObject({ status: 'ok', retcode: 0, data: { message_id: expect.any(Number) } });
    const history = await cluster.origin.admin<{ messages: Array<{ raw_message: string }> }>(
      '/api/sandbox/messages?message_type=private&user_id=10001',
    );
    expect(history.body.messages.map((message) => message.raw_message)).toContain('reply from the edge');

    const bridge = await cluster.origin.adapter('to-nats');
    expect(bridge).toMatchObject({
      kind: 'natsBridges',
      status: 'running',
      connections: 1,
      actionsHandled: 1,
    });
  });

  it('two edges: forward ws, reverse ws, http-client and SSE bots on each get every event once, in order; SSE resumes on the other edge', async () => {
    const cluster = fixture.manage(await startNatsCluster());
    // One reverse-ws server and one HTTP receiver per edge, each keeping what it got.
    const receivers = await Promise.all(
      [0, 1].map(async () => {
        const reverseFrames: Received[] = [];
        const reverse = await fixture.wsReceiver();
        reverse.server.on('connection', (socket) =>
          socket.on('message', (data) => reverseFrames.push(JSON.parse(String(data)) as Received)),
        );
        const http = await fixture.postReceiver<Received>();
        return { reverseFrames, posted: http.bodies, reverseUrl: reverse.url, httpUrl: http.url };
      }),
    );
    const edges: GatewayProcess[] = [];
    for (const receiver of receivers) {
      edges.push(
        await cluster.startEdge({
          websocketServers: [{ name: 'forward', enable: true, port: 0 }],
          websocketClients: [
            { name: 'reverse', enable: true, url: receiver.reverseUrl, reconnectInterval: 200 },
          ],
          httpClients: [{ name: 'post', enable: true, url: receiver.httpUrl, concurrency: 1 }],
          httpSseServers: [{ name: 'sse', enable: true, port: 0 }],
        }),
      );
    }
    const forward = await Promise.all(edges.map((edge) => fixture.connect(edge, 'forward')));
    const sse: SseReader[] = await Promise.all(
      edges.map(async (edge) => openSse(`http://127.0.0.1:${(await edge.adapter('sse')).port}/_events`)),
    );
    for (const reader of sse) fixture.track(reader);
    await Promise.all(
      sse.map((reader) => reader.next((frame) => frame.data?.includes('"connect"') ?? false)),
    );
    await until(
      () => receivers.every((receiver) => receiver.reverseFrames.length > 0),
      'the reverse ws connections',
    );

    const ids: number[] = [];
    for (let index = 0; index < 30; index += 1) ids.push(await cluster.inject(`fan out ${index}`));
    const messagesOf = (frames: Received[]) =>
      frames.filter((frame) => frame.post_type === 'message').map((frame) => frame.message_id);
    const sseMessages = (reader: SseReader) =>
      messagesOf(
        reader.frames.filter((frame) => frame.data).map((frame) => JSON.parse(frame.data!) as Received),
      );
    for (const [index, receiver] of receivers.entries()) {
      await until(
        () => messagesOf(receiver.reverseFrames).length === ids.length,
        `reverse ws on edge ${index}`,
      );
      await until(() => messagesOf(receiver.posted()).length === ids.length, `http-client on edge ${index}`);
      await until(
        () => messagesOf(forward[index]!.frames).length === ids.length,
        `forward ws on edge ${index}`,
      );
      await until(() => sseMessages(sse[index]!).length === ids.length, `SSE on edge ${index}`);
      expect(messagesOf(receiver.reverseFrames)).toEqual(ids);
      expect(messagesOf(receiver.posted())).toEqual(ids);
      expect(messagesOf(forward[index]!.frames)).toEqual(ids);
      expect(sseMessages(sse[index]!)).toEqual(ids);
    }

    // Actions from either edge land in the sandbox and answer with their own echo.
    const answers = await Promise.all(
      forward.map((client, index) =>
        client.call('send_private_msg', { user_id: 10001, message: `from edge ${index}` }),
      ),
    );
    for (const answer of answers)
      expect(answer).toMatchObject({ retcode: 0, data: { message_id: expect.any(Number) } });
    const history = await cluster.origin.admin<{ messages: Array<{ raw_message: string }> }>(
      '/api/sandbox/messages?message_type=private&user_id=10001',
    );
    expect(history.body.messages.map((message) => message.raw_message)).toEqual(
      expect.arrayContaining(['from edge 0', 'from edge 1']),
    );

    // The SSE ids are stream sequences: a browser that drops off edge 0 resumes on edge 1 without loss.
    const lastFrame = sse[0]!.frames.filter((frame) => frame.data?.includes('"message"')).at(-1)!;
    sse[0]!.close();
    const missed: number[] = [];
    for (let index = 0; index < 5; index += 1) missed.push(await cluster.inject(`while away ${index}`));
    const resumed = await openSse(`http://127.0.0.1:${(await edges[1]!.adapter('sse')).port}/_events`, {
      headers: { 'last-event-id': lastFrame.id! },
    });
    fixture.track(resumed);
    await resumed.next((frame) => frame.data?.includes(`"message_id":${missed.at(-1)}`) ?? false);
    const afterResume = resumed.frames
      .filter((frame) => frame.data?.includes('"post_type":"message"'))
      .map((frame) => (JSON.parse(frame.data!) as Received).message_id);
    expect(afterResume).toEqual(missed);
    const resumedIds = resumed.frames
      .filter((frame) => frame.data?.includes('"post_type":"message"'))
      .map((frame) => Number(frame.id));
    expect(
      resumedIds.every(
        (id, index) => id > Number(lastFrame.id) && (index === 0 || id > resumedIds[index - 1]!),
      ),
    ).toBe(true);
  }, 60_000);
});

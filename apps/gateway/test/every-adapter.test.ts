import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until } from './support/gateway-process.js';

const ALICE = 10001;
const GROUP = 20001;

const pingPlugin = `
export default {
  name: 'pinger',
  setup(ctx) {
    ctx.on('message.group', async (event) => {
      if (event.raw_message === 'ping') await ctx.reply(event, 'pong from plugin');
    });
  },
};
`;

describe('one gateway, all six adapter kinds, one simulated message', () => {
  const fixture = useGatewayProcesses();

  it('reaches every kind of bot connection and each can act', async () => {
    const receiver = await fixture.postReceiver();
    const posted = receiver.bodies;
    const reverse = await fixture.wsReceiver();
    const reverseFrames: Array<Record<string, unknown>> = [];
    let reverseSocket: WebSocket | undefined;
    let reverseClosed: Promise<number> | undefined;
    reverse.server.on('connection', (socket) => {
      reverseSocket = socket;
      reverseClosed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
      socket.on('message', (data) =>
        reverseFrames.push(JSON.parse(data.toString()) as Record<string, unknown>),
      );
    });

    const gateway = await fixture.spawn(
      gatewayConfig({
        httpServers: [{ name: 'http', enable: true, port: 0 }],
        httpSseServers: [{ name: 'sse', enable: true, port: 0 }],
        websocketServers: [{ name: 'ws', enable: true, port: 0 }],
        httpClients: [
          {
            name: 'post',
            enable: true,
            url: receiver.url,
          },
        ],
        websocketClients: [
          {
            name: 'reverse',
            enable: true,
            url: reverse.url,
          },
        ],
        plugins: [{ name: 'pinger', enable: true, module: './plugins/pinger.mjs' }],
      }),
      { files: { 'plugins/pinger.mjs': pingPlugin } },
    );
    expect((await gateway.admin('/api/health')).status).toBe(200);

    const forward = await fixture.connect(gateway, 'ws');
    const sseAbort = new AbortController();
    fixture.defer(() => sseAbort.abort());
    const sse = await fetch(`http://127.0.0.1:${(await gateway.adapter('sse')).port}/_events`, {
      signal: sseAbort.signal,
    });
    expect(sse.headers.get('content-type')).toMatch(/text\/event-stream/);
    let sseText = '';
    let sseEndedBeforeTeardown = false;
    const sseEnded = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of sse.body!) sseText += decoder.decode(chunk as Uint8Array, { stream: true });
      } catch {
        // the gateway cut the connection, or teardown aborted it
      }
      sseEndedBeforeTeardown = !sseAbort.signal.aborted;
    })();
    await until(() => sseText.includes('"connect"'), 'the SSE lifecycle connect');
    await until(
      () => reverseFrames.some((f) => f.sub_type === 'connect'),
      'the reverse WebSocket to connect',
    );

    const { body } = await gateway.post<{ message_id: number }>('/api/sandbox/messages', {
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: 'ping',
    });
    const id = body.message_id;
    const isOurs = (frame: Record<string, unknown>) =>
      frame.post_type === 'message' && frame.message_id === id;

    await forward.next(isOurs);
    await until(() => sseText.includes(`"message_id":${id}`), 'the SSE stream to carry the message');
    await until(() => posted().some(isOurs), 'the HTTP POST of the message');
    await until(() => reverseFrames.some(isOurs), 'the reverse WebSocket to carry the message');

    // The reverse connection serves actions too.
    reverseSocket!.send(JSON.stringify({ action: 'get_login_info', echo: 'rev' }));
    const answer = await until(
      () => reverseFrames.find((f) => f.echo === 'rev'),
      'the reverse WebSocket answer',
    );
    expect(answer).toMatchObject({ retcode: 0, data: { user_id: 10000 } });

    // The plugin answered in the group; the HTTP API sees the stored history.
    const history = await until(async () => {
      const { body: stored } = await gateway.admin<{ messages: Array<{ raw_message: string }> }>(
        `/api/sandbox/messages?message_type=group&group_id=${GROUP}`,
      );
      return stored.messages.length >= 2 ? stored.messages : undefined;
    }, 'the plugin reply');
    expect(history.map((m) => m.raw_message)).toEqual(['ping', 'pong from plugin']);
    const fromHttp = (await (
      await fetch(`http://127.0.0.1:${(await gateway.adapter('http')).port}/get_msg?message_id=${id}`)
    ).json()) as {
      data: { raw_message: string };
    };
    expect(fromHttp.data.raw_message).toBe('ping');

    const adapters = (
      await gateway.admin<{ adapters: Array<{ name: string; status: string }> }>('/api/adapters')
    ).body.adapters;
    expect(adapters.map((a) => a.status)).toEqual([
      'running',
      'running',
      'running',
      'running',
      'running',
      'running',
    ]);

    // Shutdown: exit 0 well inside the 5 s deadline (stop() would SIGKILL after 8 s), and it ends what it serves.
    const stopping = Date.now();
    expect(await gateway.stop()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    await sseEnded;
    expect(sseEndedBeforeTeardown).toBe(true);
    expect(await reverseClosed).toBe(1001);
    expect(
      posted()
        .filter((p) => p.meta_event_type === 'lifecycle')
        .map((p) => p.sub_type),
    ).toEqual(['enable', 'disable']);
  });
});

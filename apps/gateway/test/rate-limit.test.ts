import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createRecordingLogger } from '@onebot-gateway/testkit';
import type { GatewayHandle } from '../src/index.js';
import { useGatewayProcesses } from './support/fixture.js';
import { until } from './support/gateway-process.js';
import { connectWs } from './support/ws-client.js';

const GROUP = 20001;
const SELF_ID = '10000';

interface Answer {
  retcode: number;
  status: string;
  message: string;
  echo?: unknown;
  /** HTTP status, for calls made over the HTTP API. */
  httpStatus?: number;
}

interface Departure {
  tag: string;
  at: number;
}

/** How spread out departures must be: any run of them fits the bucket plus what the rate refilled meanwhile. */
function worstExcess(departures: Departure[], frequency: number, bucket: number): number {
  let worst = -Infinity;
  for (let i = 0; i < departures.length; i += 1)
    for (let j = i; j < departures.length; j += 1) {
      const allowed = bucket + (frequency * (departures[j]!.at - departures[i]!.at)) / 1000;
      worst = Math.max(worst, j - i + 1 - allowed);
    }
  return worst;
}

/** Poll fast (every millisecond): `until`'s 20 ms would pace the sends slower than the rate under test. */
async function soon(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('gateway.rateLimit through a real gateway on the sandbox', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayHandle;

  /**
   * A gateway with three ways in (forward WebSocket, HTTP API, reverse
   * WebSocket) and one more forward WebSocket that only watches: it gets the
   * bot's own messages (`message_sent`), which the sandbox publishes the
   * moment a send runs, so their arrival times are the departure times.
   */
  async function start(rateLimit: Record<string, unknown>) {
    const reverseServer = await fixture.wsReceiver();
    const reverseConnected = once(reverseServer.server, 'connection') as Promise<[WebSocket]>;
    const config = (limit: Record<string, unknown>) => ({
      network: {
        websocketServers: [
          { name: 'ws', enable: true, port: 0 },
          { name: 'observer', enable: true, port: 0, reportSelfMessage: true },
        ],
        httpServers: [{ name: 'http', enable: true, port: 0 }],
        websocketClients: [
          {
            name: 'reverse',
            enable: true,
            url: reverseServer.url,
          },
        ],
      },
      gateway: {
        backend: { type: 'sandbox' },
        admin: { enable: true, host: '127.0.0.1', port: 0 },
        rateLimit: limit,
      },
    });
    const configPath = await fixture.configFile(JSON.stringify(config(rateLimit)), 'rate-limit-');
    const logger = createRecordingLogger();
    gateway = await fixture.start({ configPath, watch: false, logger });
    const handle = gateway;
    const address = (name: string) => handle.adapters().find((adapter) => adapter.name === name)!.address!;

    const ws = fixture.track(await connectWs(`ws://${address('ws')}/`));
    const observer = fixture.track(await connectWs(`ws://${address('observer')}/`));
    const departures: Departure[] = [];
    observer.socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { post_type?: string; raw_message?: string };
      if (frame.post_type === 'message_sent')
        departures.push({ tag: frame.raw_message ?? '', at: performance.now() });
    });

    const [reverse] = await reverseConnected;
    const reverseAnswers = new Map<string, (answer: Answer) => void>();
    reverse.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Answer;
      if (typeof frame.echo === 'string') reverseAnswers.get(frame.echo)?.(frame);
    });

    const params = (tag: string) => ({ group_id: GROUP, message: tag });
    const via = {
      ws: (tag: string, action = 'send_group_msg') =>
        ws.call(action, params(tag)) as unknown as Promise<Answer>,
      http: async (tag: string, action = 'send_group_msg'): Promise<Answer> => {
        const response = await fetch(`http://${address('http')}/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params(tag)),
        });
        return { ...((await response.json()) as Answer), httpStatus: response.status };
      },
      reverse: (tag: string, action = 'send_group_msg') =>
        new Promise<Answer>((resolve) => {
          reverseAnswers.set(tag, resolve);
          reverse.send(JSON.stringify({ action, params: params(tag), echo: tag }));
        }),
    };

    /** Calls that reached the limiter so far (let through or waiting). */
    const admitted = () => handle.rateLimits().reduce((sum, status) => sum + status.calls, 0);
    const status = () => handle.rateLimits().find((entry) => entry.selfId === SELF_ID)!;
    const reload = async (limit: Record<string, unknown>) => {
      await writeFile(configPath, JSON.stringify(config(limit)));
      await handle.reloadFromFile();
    };
    return {
      via,
      departures,
      admitted,
      status,
      reload,
      logger,
      adminBase: `http://${handle.adminAddress()!}`,
    };
  }

  it('20 sends from three adapters at once leave at the configured rate, in arrival order', async () => {
    const frequency = 10;
    const bucket = 3;
    const { via, departures, admitted } = await start({ enable: true, frequency, bucket });
    const kinds = ['ws', 'http', 'reverse'] as const;
    const sent: string[] = [];
    const answers: Array<Promise<Answer>> = [];
    for (let i = 0; i < 20; i += 1) {
      const kind = kinds[i % 3]!;
      const tag = `${kind}-${i}`;
      sent.push(tag);
      answers.push(via[kind](tag));
      // Arrival order across three sockets is only known once the gateway has the call: wait for that
      // (a millisecond or so) before the next one, while every earlier call is still outstanding.
      await soon(() => admitted() === i + 1, `call ${i + 1} to reach the limiter`);
    }
    const settled = await Promise.all(answers);
    expect(settled.map((answer) => answer.retcode)).toEqual(sent.map(() => 0));
    await until(() => departures.length === 20, 'all 20 messages to leave');

    expect(departures.map((departure) => departure.tag)).toEqual(sent);
    // Never faster than the bucket allows (one token of slack for the observer's own delivery jitter).
    expect(worstExcess(departures, frequency, bucket)).toBeLessThanOrEqual(1);
    // The first `bucket` went together; after them the pace is the rate: judged on gaps, not clock times.
    const gaps = departures
      .slice(bucket)
      .map((departure, k) => departure.at - departures[bucket - 1 + k]!.at);
    expect(median(gaps)).toBeGreaterThanOrEqual(70);
    expect(median(gaps)).toBeLessThanOrEqual(250);
    const total = departures[19]!.at - departures[0]!.at;
    expect(total).toBeGreaterThanOrEqual(((20 - bucket) / frequency) * 1000 - 100);
    expect(total).toBeLessThanOrEqual(((20 - bucket) / frequency) * 1000 + 3000);
  });

  it('past the bound answers 1429 at once on every adapter; /metrics and health show the queue; stop answers who waits', async () => {
    // One call every 5 s: nothing leaves the queue while the test looks at it.
    const { via, departures, status, adminBase } = await start({ enable: true, frequency: 0.2, maxQueue: 4 });
    expect((await via.ws('goes at once')).retcode).toBe(0);
    const waiting = ['w1', 'w2', 'w3', 'w4'].map((tag) => via.ws(tag));
    await until(() => status().queued === 4, 'four calls to wait');

    const overHttp = await via.http('refused');
    expect(overHttp).toMatchObject({ httpStatus: 429, status: 'failed', retcode: 1429 });
    expect(overHttp.message).toMatch(
      /^rate limit: 4 calls queued, next in ~[0-5]\.\d s \(gateway\.rateLimit\.maxQueue is 4; a call now would wait ~2\d\.\d s\); retry later$/,
    );
    expect(await via.reverse('refused-reverse')).toMatchObject({ retcode: 1429, echo: 'refused-reverse' });
    expect(await via.ws('refused-async', 'send_group_msg_async')).toMatchObject({ retcode: 1429 });

    const metrics = await (await fetch(`${adminBase}/metrics`)).text();
    expect(metrics).toContain(`onebot_gateway_rate_limit_queue_length{self_id="${SELF_ID}"} 4`);
    expect(metrics).toContain(`onebot_gateway_rate_limit_calls_total{self_id="${SELF_ID}"} 5`);
    expect(metrics).toContain(`onebot_gateway_rate_limit_waited_total{self_id="${SELF_ID}"} 4`);
    expect(metrics).toContain(`onebot_gateway_rate_limit_refused_total{self_id="${SELF_ID}"} 3`);
    const wait = Number(
      /onebot_gateway_rate_limit_wait_seconds\{self_id="10000"\} ([\d.]+)/.exec(metrics)?.[1],
    );
    expect(wait).toBeGreaterThan(20);
    expect(wait).toBeLessThanOrEqual(25);

    const health = (await (await fetch(`${adminBase}/api/health`)).json()) as { rateLimit: unknown[] };
    expect(health.rateLimit).toEqual([
      expect.objectContaining({ selfId: SELF_ID, enabled: true, frequency: 0.2, queued: 4, refused: 3 }),
    ]);

    // Stopping answers every waiting call, on its own connection, before that connection closes.
    await gateway.stop();
    const answers = await Promise.all(waiting);
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 'failed',
        retcode: 100,
        message: 'the gateway is stopping: this call was held by the send rate limit and was not sent',
      });
    }
    expect(departures.map((departure) => departure.tag)).toEqual(['goes at once']);
  });

  it('hot reload changes the rate in place (order kept); switching it off lets the queue go at once', async () => {
    const { via, departures, status, reload, logger } = await start({ enable: true, frequency: 0.5 });
    const first = ['a1', 'a2', 'a3', 'a4', 'a5'].map((tag) => via.ws(tag));
    await until(() => status().queued === 4, 'four calls to wait');
    // At 0.5/s these four would take 8 s; reloaded to 20/s they take about 200 ms.
    const reloadedAt = performance.now();
    await reload({ enable: true, frequency: 20 });
    expect(
      logger.records.some((record) => /gateway\.rateLimit changed; applied in place/.test(record.msg)),
    ).toBe(true);
    expect((await Promise.all(first)).map((answer) => answer.retcode)).toEqual([0, 0, 0, 0, 0]);
    await until(() => departures.length === 5, 'the five to leave');
    expect(departures.map((departure) => departure.tag)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(departures[4]!.at - reloadedAt).toBeLessThan(2000);
    expect(worstExcess(departures.slice(1), 20, 1)).toBeLessThanOrEqual(1);

    await reload({ enable: true, frequency: 0.1 });
    const second = ['b1', 'b2', 'b3', 'b4'].map((tag) => via.ws(tag));
    await until(() => status().queued >= 3, 'calls to wait at one per 10 s');
    const offAt = performance.now();
    await reload({ enable: false, frequency: 0.1 });
    expect((await Promise.all(second)).map((answer) => answer.retcode)).toEqual([0, 0, 0, 0]);
    await until(() => departures.length === 9, 'the queue to be let go');
    expect(departures.slice(5).map((departure) => departure.tag)).toEqual(['b1', 'b2', 'b3', 'b4']);
    expect(departures[8]!.at - offAt).toBeLessThan(2000);
    expect(status()).toMatchObject({ enabled: false, queued: 0 });
  });
});

/**
 * ws-client throughput: events/s the adapter delivers to a local `ws` server,
 * against a bare `ws` client sending the same pre-encoded frames, measured in
 * the same run. Run: pnpm -F @onebot-gateway/ws-client bench
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import WebSocket from 'ws';
import { createFakeBackend } from '@onebot-gateway/testkit';
import type { AdapterContext, DeliveredEvent, OneBotEvent } from '@onebot-gateway/core';
import { createWsClientAdapter } from '../src/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** Events published per macrotask: a busy bot's burst, then the event loop breathes. */
const BURST = 500;

function messageEvent(i: number): OneBotEvent {
  return {
    time: 1_700_000_000,
    self_id: 10001,
    post_type: 'message',
    message_type: 'group',
    sub_type: 'normal',
    message_id: i,
    group_id: 30003,
    user_id: 20002,
    anonymous: null,
    message: [{ type: 'text', data: { text: `benchmark message number ${i}` } }],
    raw_message: `benchmark message number ${i}`,
    font: 0,
    sender: { user_id: 20002, nickname: 'Alice', card: '', role: 'member' },
  };
}

interface Receiver {
  url: string;
  /** Arm the receiver for `count` frames; `done` settles when they all arrived. */
  expect(count: number): Promise<{ done: Promise<void> }>;
  close(): Promise<void>;
}

function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: Record<string, unknown>): void => {
      if (!(key in message)) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
  });
}

async function startReceiver(): Promise<Receiver> {
  const child = fork(new URL('./receiver-process.mjs', import.meta.url), { stdio: 'inherit' });
  const { port } = await nextMessage<{ port: number }>(child, 'port');
  return {
    url: `ws://127.0.0.1:${port}/`,
    async expect(count) {
      const ready = nextMessage(child, 'ready');
      child.send({ expect: count });
      await ready;
      return { done: nextMessage<unknown>(child, 'done').then(() => undefined) };
    },
    async close() {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

interface Measure {
  rate: number;
  cpuMicros: number;
}

async function measure(events: number, run: () => Promise<void>): Promise<Measure> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: events / seconds, cpuMicros: (cpu.user + cpu.system) / events };
}

const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `corked`: batch each burst into one write, as core's session does; the plain loop writes frame by frame. */
async function bareWs(receiver: Receiver, frames: Buffer[], corked = false): Promise<Measure> {
  const ws = new WebSocket(receiver.url, { perMessageDeflate: false });
  await once(ws, 'open');
  const { done } = await receiver.expect(frames.length);
  const result = await measure(frames.length, async () => {
    const socket = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    for (let i = 0; i < frames.length; i += 1) {
      if (corked && i % BURST === 0) socket.cork();
      ws.send(frames[i] as Buffer, { binary: false });
      if (i % BURST === BURST - 1) {
        if (corked) socket.uncork();
        await breathe();
      }
    }
    if (corked) socket.uncork();
    await done;
  });
  ws.close();
  await once(ws, 'close');
  return result;
}

/** The gateway's context, except that events come pre-encoded as the bus hands them over. */
function benchContext(): { context: AdapterContext; publish(delivered: DeliveredEvent): void } {
  const backend = createFakeBackend();
  const listeners = new Set<(delivered: DeliveredEvent) => void>();
  const context: AdapterContext = {
    ...backend.context('bench'),
    subscribe: (_subscription, listener) => {
      const own = (delivered: DeliveredEvent): void => listener(delivered);
      listeners.add(own);
      return () => listeners.delete(own);
    },
  };
  return {
    context,
    publish: (delivered) => {
      for (const listener of listeners) listener(delivered);
    },
  };
}

async function adapter(receiver: Receiver, delivered: DeliveredEvent[]): Promise<Measure> {
  const { context, publish } = benchContext();
  const { done } = await receiver.expect(delivered.length + 1); // + lifecycle connect
  const client = createWsClientAdapter({ url: receiver.url, heartInterval: 0 }, context);
  await client.start();
  if (client.status().connections !== 1) throw new Error('the adapter did not connect');
  const result = await measure(delivered.length, async () => {
    for (let i = 0; i < delivered.length; i += 1) {
      publish(delivered[i] as DeliveredEvent);
      if (i % BURST === BURST - 1) await breathe();
    }
    await done;
  });
  const { dropped, errors } = client.status();
  await client.stop();
  if (dropped !== 0 || errors !== 0)
    throw new Error(`the adapter dropped ${String(dropped)} events / had ${String(errors)} errors`);
  return result;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function main(): Promise<void> {
  const events = Array.from({ length: EVENTS }, (_, i) => messageEvent(i));
  const frames = events.map((event) => Buffer.from(JSON.stringify(event)));
  const delivered: DeliveredEvent[] = events.map((event, i) => ({
    event,
    json: JSON.stringify(event),
    buffer: frames[i] as Buffer,
    isSelfMessage: false,
  }));
  const receiver = await startReceiver();
  await bareWs(receiver, frames.slice(0, 5000)); // warm-up
  await adapter(receiver, delivered.slice(0, 5000));
  const rows: Array<[string, Measure, Measure, Measure]> = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate the order so a burst of load from elsewhere on the machine hits both sides alike.
    const bareFirst = round % 2 === 1 ? await bareWs(receiver, frames) : undefined;
    const ours = await adapter(receiver, delivered);
    const corked = await bareWs(receiver, frames, true);
    const bare = bareFirst ?? (await bareWs(receiver, frames));
    rows.push([`round ${round}`, bare, ours, corked]);
  }
  await receiver.close();
  const us = (m: Measure): string => `${m.cpuMicros.toFixed(1)} µs`;
  console.log(
    `ws-client throughput, ${fmt(EVENTS)} events per run, bursts of ${BURST}, node ${process.version}`,
  );
  console.log('events/s (CPU per event of the sending process) and ratio to the bare ws client');
  console.log('| run | bare ws | ws-client | ratio | bare ws, corked bursts | ws-client / corked |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, bare, ours, corked] of rows) {
    console.log(
      `| ${label} | ${fmt(bare.rate)} (${us(bare)}) | ${fmt(ours.rate)} (${us(ours)}) | ${(ours.rate / bare.rate).toFixed(2)}x | ${fmt(corked.rate)} (${us(corked)}) | ${(ours.rate / corked.rate).toFixed(2)}x |`,
    );
  }
  const ratio = median(rows.map(([, bare, ours]) => ours.rate / bare.rate));
  const corkedRatio = median(rows.map(([, , ours, corked]) => ours.rate / corked.rate));
  console.log(`| median | | | ${ratio.toFixed(2)}x | | ${corkedRatio.toFixed(2)}x |`);
  console.log(
    `CPU efficiency (bare CPU per event / ws-client CPU per event), median: ${median(rows.map(([, bare, ours]) => bare.cpuMicros / ours.cpuMicros)).toFixed(2)}x`,
  );
}

await main();

/**
 * http-client throughput: events/s the adapter delivers to a local node:http
 * receiver, against a bare undici loop posting the same bodies with the same
 * concurrency, measured in the same run. Run: pnpm -F @onebot-gateway/http-client bench
 */
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { Pool } from 'undici';
import { createFakeBackend } from '@onebot-gateway/testkit';
import type { AdapterContext, DeliveredEvent, OneBotEvent } from '@onebot-gateway/core';
import { createHttpClientAdapter } from '../src/index.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

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

async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(new URL('./receiver-process.mjs', import.meta.url), { stdio: 'inherit' });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

/** Wall-clock rate and this process's CPU time per event (the receiver runs in another process). */
interface Measure {
  rate: number;
  cpuMicros: number;
}

function measureFrom(events: number, startedAt: bigint, cpuBefore: NodeJS.CpuUsage): Measure {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: events / seconds, cpuMicros: (cpu.user + cpu.system) / events };
}

async function bareUndici(url: string, bodies: Buffer[]): Promise<Measure> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'OneBot/11 bench',
    'x-self-id': '10001',
  };
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as Buffer;
        const response = await pool.request({ path: target.pathname, method: 'POST', headers, body });
        await response.body.dump();
      }
    }),
  );
  const measure = measureFrom(bodies.length, started, cpuBefore);
  await pool.close();
  return measure;
}

/**
 * The context the gateway would give the adapter, except that events come
 * pre-encoded (as the bus hands them over: one shared Buffer per event), so
 * both sides post the very same bodies and the bus's own encoding, done once
 * per event for all adapters, is left out of both measurements.
 */
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

async function adapter(url: string, delivered: DeliveredEvent[], token = ''): Promise<Measure> {
  const { context, publish } = benchContext();
  // The queue holds the whole burst, as the baseline's array does.
  const client = createHttpClientAdapter(
    { url, token, concurrency: CONCURRENCY, queueSize: delivered.length },
    context,
  );
  await client.start();
  while (client.status().eventsSent < 1) await new Promise((resolve) => setTimeout(resolve, 1)); // lifecycle enable
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const item of delivered) publish(item);
  while (client.status().eventsSent < delivered.length + 1)
    await new Promise((resolve) => setTimeout(resolve, 2));
  const measure = measureFrom(delivered.length, started, cpuBefore);
  const dropped = client.status().dropped;
  await client.stop();
  if (dropped !== 0) throw new Error(`the adapter dropped ${String(dropped)} events during the benchmark`);
  return measure;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const events = Array.from({ length: EVENTS }, (_, i) => messageEvent(i));
  const bodies = events.map((event) => Buffer.from(JSON.stringify(event)));
  const delivered: DeliveredEvent[] = events.map((event, i) => ({
    event,
    json: JSON.stringify(event),
    buffer: bodies[i] as Buffer,
    isSelfMessage: false,
  }));
  const receiver = await startReceiver();
  // Warm-up: JIT, sockets.
  await bareUndici(receiver.url, bodies.slice(0, 2000));
  await adapter(receiver.url, delivered.slice(0, 2000));
  const rows: Array<[string, Measure, Measure, Measure]> = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate the order so a burst of load from elsewhere on the machine hits both sides alike.
    const bareFirst = round % 2 === 1 ? await bareUndici(receiver.url, bodies) : undefined;
    const ours = await adapter(receiver.url, delivered);
    const signed = await adapter(receiver.url, delivered, 'bench-token');
    const bare = bareFirst ?? (await bareUndici(receiver.url, bodies));
    rows.push([`round ${round}`, bare, ours, signed]);
  }
  await receiver.close();
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  };
  const us = (m: Measure): string => `${m.cpuMicros.toFixed(0)} µs`;
  console.log(
    `http-client throughput, ${fmt(EVENTS)} events per run, concurrency ${CONCURRENCY}, node ${process.version}`,
  );
  console.log('events/s (CPU per event of the posting process) and ratio to the bare undici loop');
  console.log('| run | bare undici | http-client | ratio | http-client + token (signed) | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, bare, ours, signed] of rows) {
    console.log(
      `| ${label} | ${fmt(bare.rate)} (${us(bare)}) | ${fmt(ours.rate)} (${us(ours)}) | ${(ours.rate / bare.rate).toFixed(2)}x | ${fmt(signed.rate)} (${us(signed)}) | ${(signed.rate / bare.rate).toFixed(2)}x |`,
    );
  }
  const ratios = rows.map(([, bare, ours]) => ours.rate / bare.rate);
  const signedRatios = rows.map(([, bare, , signed]) => signed.rate / bare.rate);
  const cpuRatios = rows.map(([, bare, ours]) => bare.cpuMicros / ours.cpuMicros);
  console.log(`| median | | | ${median(ratios).toFixed(2)}x | | ${median(signedRatios).toFixed(2)}x |`);
  console.log(
    `CPU efficiency (bare CPU per event / http-client CPU per event), median: ${median(cpuRatios).toFixed(2)}x`,
  );
}

await main();

/**
 * `pnpm -F @onebot-gateway/core bench`: CQ codec throughput against the
 * codecs of two other OneBot SDKs, a correctness table for the cases where
 * they differ from the spec, and the event bus fan-out cost. Prints
 * Markdown tables, ready for the README. A full run takes about 30 s.
 */
import { Bench } from 'tinybench';
import { encodeCq, parseCq } from '../src/message/cq-code.js';
import type { Segment } from '../src/types/segments.js';
import { bestOfThree, hostileInput, runCorrectness } from './correctness.js';
import { corpus, corpusChars, corpusParts } from './corpus.js';
import { encodeCqWithoutEscaping } from './escape-free-encoder.js';
import { benchEventBus, eventBytes } from './event-bus.js';
import { benchEventFilters } from './event-filter.js';
import { loadPeers, type Codec } from './peers.js';

const ours: Codec = {
  name: '@onebot-gateway/core',
  parse: parseCq,
  toSegments: (parsed) => parsed as Segment[],
  encode: encodeCq,
};

let sink = 0;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

interface Throughput {
  /** Corpus passes per second (median sample). */
  passesPerSecond: number;
  megabytesPerSecond: number;
}

/**
 * Time one pass over `messages` per sample. The machine is shared, so the
 * tasks run interleaved in several short rounds and each keeps its best
 * median: a neighbour's burst of work then hurts one round, not the result.
 */
async function measure(
  codecs: Codec[],
  messages: string[],
  roundTime: number,
  rounds = 3,
): Promise<{ parse: Throughput[]; encode: Throughput[]; escapeFree: Throughput }> {
  const chars = messages.reduce((total, message) => total + message.length, 0);
  // Every encoder gets the same input: segments as the spec-conformant parser
  // reads them (all values strings, which every peer supports), passed
  // through JSON like segments that arrive from the network.
  const segmentLists = messages.map((message) => JSON.parse(JSON.stringify(parseCq(message))) as Segment[]);
  const tasks: { name: string; run: () => void }[] = [];
  for (const codec of codecs) {
    tasks.push({
      name: `parse ${codec.name}`,
      run: () => {
        for (const message of messages) sink ^= (codec.parse(message) as unknown[]).length;
      },
    });
  }
  for (const codec of codecs) {
    tasks.push({
      name: `encode ${codec.name}`,
      run: () => {
        for (const segments of segmentLists) sink ^= codec.encode(segments).length;
      },
    });
  }
  // Our encoder minus the escaping (wrong output, a ceiling): measured
  // interleaved with the rest so the same load affects it.
  tasks.push({
    name: 'encode ours without escaping',
    run: () => {
      for (const segments of segmentLists) sink ^= encodeCqWithoutEscaping(segments).length;
    },
  });
  const bestMedianMs = tasks.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time: roundTime, warmupTime: Math.min(100, roundTime / 2) });
    for (const task of tasks) bench.add(task.name, task.run);
    await bench.run();
    bench.tasks.forEach((task, index) => {
      bestMedianMs[index] = Math.min(bestMedianMs[index]!, task.result?.latency.p50 ?? Number.NaN);
    });
  }
  const rate = (index: number): Throughput => {
    const passesPerSecond = 1000 / bestMedianMs[index]!;
    return { passesPerSecond, megabytesPerSecond: (passesPerSecond * chars) / 1e6 };
  };
  return {
    parse: codecs.map((_, index) => rate(index)),
    encode: codecs.map((_, index) => rate(codecs.length + index)),
    escapeFree: rate(2 * codecs.length),
  };
}

/** Ours divided by the faster peer; NaN when no peer could be loaded. */
function ratioToFastestPeer(results: Throughput[]): number {
  const peers = results.slice(1).map((result) => result.passesPerSecond);
  return peers.length === 0 ? Number.NaN : results[0]!.passesPerSecond / Math.max(...peers);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  console.log(`# @onebot-gateway/core bench (Node ${process.version}, ${new Date().toISOString()})\n`);

  const loaded = await loadPeers();
  const peers: Codec[] = [];
  for (const peer of loaded) {
    if (peer.ok) peers.push(peer.codec);
    else console.log(`! peer ${peer.name} could not be loaded on Node ${process.version}: ${peer.reason}\n`);
  }
  const codecs = [ours, ...peers];
  const names = codecs.map((codec) => codec.name);

  console.log(
    `## CQ codec throughput (mixed corpus: ${corpus.length} messages, ${(corpusChars / 1000).toFixed(0)} k chars per pass)\n`,
  );
  const mixed = await measure(codecs, corpus, 400, 4);
  const rows: string[][] = [];
  for (const [operation, results] of [
    ['parse', mixed.parse],
    ['encode', mixed.encode],
  ] as const) {
    results.forEach((result, index) =>
      rows.push([
        operation,
        names[index]!,
        fixed(result.passesPerSecond, 0),
        fixed(result.megabytesPerSecond),
      ]),
    );
  }
  console.log(table(['op', 'codec', 'corpus passes/s', 'MB/s (UTF-16 chars)'], rows));
  const parseRatio = ratioToFastestPeer(mixed.parse);
  const encodeRatio = ratioToFastestPeer(mixed.encode);
  console.log(
    `\nours / faster peer: parse ${fixed(parseRatio, 2)}x, encode ${fixed(encodeRatio, 2)}x (target >= 2x)`,
  );
  for (const [index, peer] of peers.entries()) {
    const versus = (results: Throughput[]) =>
      fixed(results[0]!.passesPerSecond / results[index + 1]!.passesPerSecond, 2);
    console.log(`ours / ${peer.name}: parse ${versus(mixed.parse)}x, encode ${versus(mixed.encode)}x`);
  }
  console.log('');

  const escapeFreeRatio = ratioToFastestPeer([mixed.escapeFree, ...mixed.encode.slice(1)]);
  console.log(
    `ceiling: our encoder with the escaping left out (wrong output, like napcat's) runs ${fixed(mixed.escapeFree.megabytesPerSecond)} MB/s = ${fixed(escapeFreeRatio, 2)}x the faster peer; ` +
      `the spec-required escaping is the difference to ${fixed(encodeRatio, 2)}x`,
  );
  console.log('## Per corpus part (ours / faster peer)\n');
  const partRows: string[][] = [];
  for (const part of corpusParts) {
    const result = await measure(codecs, part.messages, 150, 2);
    partRows.push([
      part.name,
      `${part.messages.length}`,
      fixed(result.parse[0]!.megabytesPerSecond),
      `${fixed(ratioToFastestPeer(result.parse), 2)}x`,
      fixed(result.encode[0]!.megabytesPerSecond),
      `${fixed(ratioToFastestPeer(result.encode), 2)}x`,
      `${fixed(ratioToFastestPeer([result.escapeFree, ...result.encode.slice(1)]), 2)}x`,
    ]);
  }
  console.log(
    table(
      ['part', 'messages', 'parse MB/s', 'parse ratio', 'encode MB/s', 'encode ratio', 'escape-free ratio'],
      partRows,
    ),
  );

  console.log('\n## Correctness (spec cases where codecs disagree)\n');
  const correctness = runCorrectness(peers);
  console.log(
    table(
      ['op', 'case', 'input', ...names],
      correctness.map((row) => [
        row.kind,
        row.name,
        `\`${row.input.replaceAll('|', '\\|').replaceAll('`', "'")}\``,
        row.ours.detail,
        ...row.peers.map((verdict) =>
          verdict.ok ? 'ok' : `WRONG: ${verdict.detail}`.replaceAll('|', '\\|'),
        ),
      ]),
    ),
  );
  const failures = names.map(
    (_, index) => correctness.filter((row) => !(index === 0 ? row.ours : row.peers[index - 1]!).ok).length,
  );
  console.log(
    `\nwrong answers out of ${correctness.length}: ${names.map((name, index) => `${name} ${failures[index]}`).join(', ')}`,
  );

  console.log(`\n## Hostile input: ${hostileInput.name}, one parse (best of 3)\n`);
  console.log(
    table(
      ['codec', 'ms'],
      codecs.map((codec) => [codec.name, fixed(bestOfThree(() => codec.parse(hostileInput.input)))]),
    ),
  );

  console.log(
    `\n## Event bus fan-out (one ${eventBytes}-byte group message event, subscribers read delivered.buffer)\n`,
  );
  const bus = await benchEventBus(250, 3);
  sink ^= bus.sink;
  // (c) = (a) minus the same publish with the bytes already encoded: what encoding costs per publish.
  const encoding = (result: (typeof bus.results)[number]) =>
    result.microsPerPublish - result.preEncodedMicrosPerPublish;
  console.log(
    table(
      [
        'case',
        '(a) µs per publish',
        'µs with bytes pre-encoded',
        '(c) encoding µs (a - pre-encoded)',
        '(b) JSON serialisations per publish',
      ],
      [
        ['raw JSON.stringify + Buffer.from (baseline)', fixed(bus.baselineMicros, 2), '', '', '1'],
        ...bus.results.map((result) => [
          result.name,
          fixed(result.microsPerPublish, 2),
          fixed(result.preEncodedMicrosPerPublish, 2),
          fixed(encoding(result), 2),
          `${result.serialisations}`,
        ]),
      ],
    ),
  );
  const one = bus.results.find((result) => result.name === '1 subscriber, array')!;
  const hundred = bus.results.find((result) => result.name === '100 subscribers, array')!;
  const encodingRatio = encoding(hundred) / encoding(one);
  const totalRatio = hundred.microsPerPublish / one.microsPerPublish;
  const dispatchNanos =
    ((hundred.preEncodedMicrosPerPublish - one.preEncodedMicrosPerPublish) * 1000) /
    (hundred.subscribers - 1);
  console.log(
    `\n(c) encoding cost, 100 / 1 subscriber: ${fixed(encodingRatio, 2)}x (target <= 1.1x: ${encodingRatio <= 1.1 ? 'met' : 'NOT met'})` +
      `\n(a) whole publish, 100 / 1 subscriber: ${fixed(totalRatio, 2)}x (dispatch: ${fixed(dispatchNanos, 1)} ns per extra subscriber, with the listener's own read of delivered.buffer)` +
      '\nThe 1.1x target is judged on (c): the issue asks that *encoding* for 100 subscribers cost no more than for one,' +
      '\nand (b) shows the bytes are produced once per format whatever the count. (a) also contains calling 100 listeners,' +
      '\nwhich no encoder can avoid; it is reported so that cost stays visible.',
  );

  console.log('\n## Event filters (typical filter: 50-group $in whitelist + "@ the bot" $elemMatch)\n');
  const filters = await benchEventFilters(250, 3);
  sink ^= filters.sink;
  console.log(
    table(
      ['library', 'ns per event, match', 'ns per event, miss'],
      filters.libraries.map((library) => [
        library.name,
        fixed(library.matchNanos, 0),
        fixed(library.missNanos, 0),
      ]),
    ),
  );
  const versus = (micros: number) => `${fixed(micros / filters.noFilterMicros, 2)}x`;
  console.log(
    `\n${table(
      ['publish to 10 subscribers (each reads delivered.buffer)', 'µs per publish', 'vs no filter'],
      [
        ['no filter', fixed(filters.noFilterMicros, 2), '1.00x'],
        ...(
          [
            ['same typical filter on every adapter, event matches', filters.sameMatchMicros],
            ['same typical filter on every adapter, event filtered out', filters.sameMissMicros],
            ['a different whitelist per adapter, event matches', filters.distinctMatchMicros],
            ['a different whitelist per adapter, event filtered out', filters.distinctMissMicros],
          ] as const
        ).map(([name, micros]) => [name, fixed(micros, 2), versus(micros)]),
      ],
    )}`,
  );
  const sameRatio = filters.sameMatchMicros / filters.noFilterMicros;
  const distinctRatio = filters.distinctMatchMicros / filters.noFilterMicros;
  console.log(
    `\nfiltered / unfiltered publish, event matching every filter (target <= 1.3x): same filter ${fixed(sameRatio, 2)}x (${sameRatio <= 1.3 ? 'met' : 'NOT met'}), ` +
      `distinct filters ${fixed(distinctRatio, 2)}x (${distinctRatio <= 1.3 ? 'met' : 'NOT met'})`,
  );

  console.log(`\n(run took ${fixed((performance.now() - startedAt) / 1000)} s; sink ${sink & 1})`);
}

await main();

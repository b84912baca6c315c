import { request } from 'node:http';

/**
 * Opens N streams and counts complete events on each (a frame ends with a
 * blank line; JSON never contains a raw newline). Reports the slowest
 * stream's count (cumulative) so the server can pace itself, and when every
 * stream has reached the cumulative target.
 */
const [port, streamCount] = process.argv.slice(2).map(Number) as [number, number];
const counts = new Array<number>(streamCount).fill(0);
let target = Number.POSITIVE_INFINITY;
let lastReported = 0;
const REPORT_EVERY = 250;

function slowest(): number {
  let min = Number.POSITIVE_INFINITY;
  for (const count of counts) if (count < min) min = count;
  return min;
}

function onProgress(): void {
  const min = slowest();
  if (min >= target) {
    process.send!({ type: 'done' });
    target = Number.POSITIVE_INFINITY;
    return;
  }
  if (min - lastReported >= REPORT_EVERY) {
    lastReported = min;
    process.send!({ type: 'progress', received: min });
  }
}

function open(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { port, host: '127.0.0.1', path: '/_events', headers: { accept: 'text/event-stream' } },
      (res) => {
        let previousEndedWithNewline = false;
        let first = true;
        res.on('data', (chunk: Buffer) => {
          let frames = 0;
          if (previousEndedWithNewline && chunk[0] === 0x0a) frames += 1;
          let at = chunk.indexOf('\n\n');
          while (at !== -1) {
            frames += 1;
            at = chunk.indexOf('\n\n', at + 2);
          }
          // A lone trailing newline may start a blank line the next chunk ends;
          // a chunk that is just the newline finishing a pair cannot.
          previousEndedWithNewline =
            chunk[chunk.length - 1] === 0x0a &&
            (chunk.length === 1 ? !previousEndedWithNewline : chunk[chunk.length - 2] !== 0x0a);
          if (first) {
            // The first frame is the connect event (or a comment for the raw server).
            first = false;
            frames -= 1;
            resolve();
          }
          counts[index]! += frames;
          if (frames > 0) onProgress();
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

await Promise.all(Array.from({ length: streamCount }, (_, i) => open(i)));
process.on('message', (message: { type: string; events?: number }) => {
  if (message.type === 'expect') {
    // Absolute: events may already be arriving when this message is read.
    target = message.events!;
    onProgress();
  } else if (message.type === 'state') {
    process.send!({ type: 'state', slowest: slowest(), fastest: Math.max(...counts), target, lastReported });
  } else if (message.type === 'stop') {
    process.exit(0);
  }
});
process.send!({ type: 'ready' });

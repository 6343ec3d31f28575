// The machine's own floor for stall.bench.ts: a process that is busy the whole time but never holds its event
// loop longer than 2 ms (busy 2 ms, then a turn), measured by the same monitor while the load runs. On a shared
// machine (2 cores, load 10-20) the OS alone leaves it unscheduled for a while; the API cannot stall less than
// this process does. Prints `ready`; stdin's `go` starts it, `stop` ends it with one JSON line
// { longestMs, p99Ms }.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const sliceMs = 2;
const loop = monitorEventLoopDelay({ resolution: 10 });
let running = true;

function slice() {
  const until = performance.now() + sliceMs;
  while (performance.now() < until) {
    // Busy, as the API is while it reads bodies and encodes rows.
  }
  if (running) setImmediate(slice);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'go') {
    loop.enable();
    setImmediate(slice);
    return;
  }
  running = false;
  loop.disable();
  process.stdout.write(
    `${JSON.stringify({ longestMs: loop.max / 1e6, p99Ms: loop.percentile(99) / 1e6 })}\n`,
  );
  process.exit(0);
});
process.stdout.write('ready\n');

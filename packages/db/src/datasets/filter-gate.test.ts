// A background read of a prepared-cache file gives way to filters (FilterGate), on a real cache file of several
// chunks: it waits while a filter runs, reads every byte once the filter ends, and never starves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilterGate } from './filter-gate';
import { allocateSections, PreparedCache, type PreparedLayout } from './prepared-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 24 MB record (three 8 MB chunks) written to the cache, and its checked layout. */
async function bigRecord(): Promise<{ cache: PreparedCache; layout: PreparedLayout; iins: Float64Array }> {
  const iins = new Float64Array(3_000_000);
  for (let i = 0; i < iins.length; i++) iins[i] = 100_000_000_000 + i * 7;
  const cache = new PreparedCache(dir);
  await cache.write('big', { v: 1 }, { meta: { rows: iins.length }, sections: { iins } });
  const peeked = await cache.peek('big', { v: 1 });
  if ('miss' in peeked) throw new Error(peeked.detail);
  return { cache, layout: peeked.layout, iins };
}

/** Byte-equal arrays (a deep equality over 3 M elements takes vitest a minute). */
const same = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('FilterGate', () => {
  it('a background read waits while a filter runs, then reads every byte once it ends', async () => {
    const { cache, layout, iins } = await bigRecord();
    const gate = new FilterGate(60_000);
    const finished = gate.enter();
    let asked = 0;
    let done = false;
    const sections = allocateSections(layout, false);
    const reading = cache
      .fill(layout, sections, {
        pause: () => {
          asked++;
          return gate.pause();
        },
      })
      .finally(() => {
        done = true;
      });
    await sleep(100);
    expect(done).toBe(false); // not a chunk read while the filter runs
    expect(asked).toBe(1);
    finished();
    finished(); // ending twice ends once
    const read = await reading;
    expect('hit' in read).toBe(true);
    expect(same(sections.iins!, iins)).toBe(true);
    expect(gate.busy).toBe(false);
  });

  it('a read somebody waits for goes on while filters still run; the others stay paused', async () => {
    const { cache, layout, iins } = await bigRecord();
    const gate = new FilterGate(60_000);
    gate.enter();
    const waitedFor = [false, false];
    const done = [false, false];
    const sections = [allocateSections(layout, false), allocateSections(layout, false)];
    const reads = [0, 1].map((k) =>
      cache.fill(layout, sections[k]!, { pause: () => gate.pause(() => waitedFor[k]!) }).finally(() => {
        done[k] = true;
      }),
    );
    await sleep(50);
    waitedFor[1] = true;
    gate.wake();
    expect('hit' in (await reads[1]!)).toBe(true);
    expect(same(sections[1]!.iins!, iins)).toBe(true);
    expect(done[0]).toBe(false); // woken too, it found nobody waiting for it: paused again
    expect(gate.busy).toBe(true);
    waitedFor[0] = true;
    gate.wake();
    expect('hit' in (await reads[0]!)).toBe(true);
  });

  it('filters that never stop do not starve a background read: each pause ends after its longest', async () => {
    const { cache, layout, iins } = await bigRecord();
    const gate = new FilterGate(10);
    gate.enter();
    const sections = allocateSections(layout, false);
    const read = await cache.fill(layout, sections, { pause: () => gate.pause() });
    expect('hit' in read).toBe(true);
    expect(same(sections.iins!, iins)).toBe(true);
  });
});

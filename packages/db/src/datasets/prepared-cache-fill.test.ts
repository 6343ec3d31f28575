import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allocateSections, PreparedCache } from './prepared-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prepared-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PreparedCache.fill (reads in chunks, two in flight)', () => {
  it('answers a miss naming the file when reads fail with two in flight, and leaves no rejection unhandled', async () => {
    const cache = new PreparedCache(dir);
    const source = { size: 1, mtimeMs: 2 };
    const iins = Float64Array.from({ length: 1_000 }, (_, i) => 900_101_300_007 + i);
    await cache.write('list', source, { meta: { rows: iins.length }, sections: { iins } });
    const peeked = await cache.peek('list', source);
    if (!('layout' in peeked)) throw new Error(`not peeked: ${peeked.detail}`);
    // A layout that says the file is 24 MB longer than it is: the reads past its end fail, several chunks at once
    // (as an I/O error or a file cut short by another process during the read would).
    const layout = { ...peeked.layout, size: peeked.layout.size + (24 << 20) };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const read = await cache.fill(layout, allocateSections(layout, false));
      expect(read).toEqual({ miss: 'corrupt', detail: `${cache.fileOf('list')}: unexpected end of file` });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../server/test-databases';
import { countTurns } from '../../testing/turn-counter';
import { openDeployTarget } from '../open-deploy-target';
import { OFF_LIMIT_USERS_TABLE, TARGET_USERS_TABLE } from '../tables';
import { describeTargetContract, sampleIins, sampleMetadata } from '../target.contract';
import { COPY_BUFFER_BYTES, COPY_BUFFERS } from './copy-in';
import { PostgresTarget } from './postgres-target';
import { poolTwinClient, type TwinClient, type TwinQueryable } from './twin-client';

let database: TempDatabase;
beforeAll(async () => {
  database = await createTempDatabase({ migrated: false });
});
afterAll(async () => database.drop());

describeTargetContract('the PostgreSQL twin', () => PostgresTarget.open(database.url));

it('keeps deployed campaigns across reconnects, and a second instance sees the same rows', async () => {
  const first = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
  const second = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
  await first.writeMetadata({ campaignCode: 'C000000001', kind: 'RB1', metadata: sampleMetadata });
  await first.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000001', iins: sampleIins(10) });
  await first.close();
  expect((await second.getCampaign('C000000001'))?.metadata).toEqual(sampleMetadata);
  expect(await second.countRows(TARGET_USERS_TABLE, 'C000000001')).toBe(10);
  await second.close();
});

it('writes a big table in one COPY that lands whole or not at all, answering timers meanwhile', async () => {
  const target = await PostgresTarget.open(database.url);
  try {
    const iins = sampleIins(300_000);
    // A row far into the list clashes with one already there: everything before it must roll back.
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins: [iins[290_000]!] });
    await expect(target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins })).rejects.toThrow(
      /unique constraint/,
    );
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000002')).toBe(1);

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000003', iins });
    clearInterval(ticker);
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000003')).toBe(300_000);
    // Timers ran while the server loaded the rows (the bytes are made piece by piece).
    expect(ticks).toBeGreaterThan(1);
  } finally {
    await target.close();
  }
});

it('writes the COPY bytes through a few reused buffers, one filled per turn of the event loop', async () => {
  // Issue 13, item 3: a 1M-row table was ~40 MB of fresh buffers on the API's thread, and the incremental GC
  // they set off stalled the loop. Now every piece is written into one of COPY_BUFFERS buffers, reused once the
  // socket has sent it, and no two pieces are made in one turn while the socket has room.
  const turns = countTurns();
  const pieces: Array<{ bytes: number; turn: number; memory: ArrayBufferLike; at: number }> = [];
  const recording = (inner: TwinQueryable): TwinQueryable => ({
    query: (sql, params) => inner.query(sql, params),
    copyFrom: (sql, source) =>
      inner.copyFrom(sql, {
        fill(into) {
          const bytes = source.fill(into);
          pieces.push({ bytes, turn: turns.turn, memory: into.buffer, at: into.byteOffset });
          return bytes;
        },
      }),
  });
  const base = poolTwinClient(new pg.Pool({ connectionString: database.url }));
  const client: TwinClient = {
    ...recording(base),
    transaction: (work) => base.transaction((tx) => work(recording(tx))),
    close: () => base.close(),
  };
  const target = await PostgresTarget.over(client);
  try {
    const rows = 100_000;
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000004', iins: sampleIins(rows) });
    turns.stop();
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000004')).toBe(rows);
    // 3.2 MB of rows (32 bytes each for a C + 9 digit code) in pieces of at most one buffer, then the end.
    expect(pieces.length).toBeGreaterThanOrEqual(Math.ceil((rows * 32) / COPY_BUFFER_BYTES) + 1);
    expect(Math.max(...pieces.map((p) => p.bytes))).toBeLessThanOrEqual(COPY_BUFFER_BYTES);
    expect(pieces.at(-1)!.bytes).toBe(0);
    // The same few buffers throughout: one block of memory, at most COPY_BUFFERS places in it.
    expect(new Set(pieces.map((p) => p.memory)).size).toBe(1);
    expect(new Set(pieces.map((p) => p.at)).size).toBeLessThanOrEqual(COPY_BUFFERS);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.turn).toBeGreaterThan(pieces[i - 1]!.turn);
  } finally {
    turns.stop();
    await target.close();
  }
});

it('reads the off-limit IINs of 100,000 reserved rows as one row from the server, not a row per IIN', async () => {
  // Issue 13, item 3: a row object and a string per reserved IIN were ~100 MB on the API's thread per million.
  const rowsAnswered: number[] = [];
  const base = poolTwinClient(new pg.Pool({ connectionString: database.url }));
  const client: TwinClient = {
    ...base,
    async query(sql, params) {
      const result = await base.query<never>(sql, params);
      if (sql.includes('string_agg') || sql.includes('DISTINCT iin')) rowsAnswered.push(result.rowCount);
      return result;
    },
  };
  const target = await PostgresTarget.over(client);
  try {
    const iins = sampleIins(100_000);
    await target.writeUsers(OFF_LIMIT_USERS_TABLE, {
      campaignCode: 'C000000005',
      iins,
      dateStart: '2031-01-01',
      dateEnd: '2031-01-31',
    });
    const reserved = await target.offLimitIins({ dateStart: '2031-01-15', dateEnd: '2031-02-15' });
    expect([...reserved]).toEqual([...iins].sort((a, b) => a - b));
    expect(rowsAnswered).toEqual([1]);
  } finally {
    await target.close();
  }
});

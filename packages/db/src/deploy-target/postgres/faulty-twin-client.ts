// Test helper: a twin client that fails chosen statements, as a flaky network or a constraint would.
import type { CopySource } from './copy-in';
import type { TwinClient, TwinQueryable } from './twin-client';

export interface TwinFault {
  /** Matched against the SQL text of each statement. */
  when: RegExp;
  error: () => Error;
  /** How many times to fail (default: every time). */
  times?: number;
}

export interface FaultyTwinClient extends TwinClient {
  /** Every statement sent, in order, with whether it was failed on purpose. */
  readonly log: { sql: string; failed: boolean }[];
}

export function pgError(code: string, message: string, extra: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

export function faultyTwinClient(client: TwinClient, faults: TwinFault[]): FaultyTwinClient {
  const remaining = faults.map((f) => f.times ?? Number.POSITIVE_INFINITY);
  const log: { sql: string; failed: boolean }[] = [];
  const check = (sql: string) => {
    const index = faults.findIndex((f, i) => f.when.test(sql) && remaining[i]! > 0);
    log.push({ sql, failed: index >= 0 });
    if (index >= 0) {
      remaining[index]!--;
      throw faults[index]!.error();
    }
  };
  const wrap = (inner: TwinQueryable): TwinQueryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      check(sql);
      return inner.query<T>(sql, params);
    },
    async copyFrom(sql: string, source: CopySource) {
      check(sql);
      return inner.copyFrom(sql, source);
    },
  });
  return {
    ...wrap(client),
    log,
    transaction: (work) => client.transaction((tx) => work(wrap(tx))),
    close: () => client.close(),
  };
}

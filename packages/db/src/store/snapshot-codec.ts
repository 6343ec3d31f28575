// The audience snapshot codec (iin-snapshot-codec.ts) run in a long-lived worker thread for the API's stores:
// encoding a million IINs takes ~6 MB of scratch, a sort check, deflate and SHA-256, decoding as much again; on
// the API thread, even in slices, that scratch and the 8 MB vectors kept its GC marking for 50-80 ms (issue 13,
// item 3: no stall over 100 ms). Here the caller's thread only posts the vector (shared, or copied) or receives
// the decoded one on shared memory. The store that owns it closes it.
import { LongLivedWorker } from '../workers/long-lived-worker';
import { wholeBuffer } from '../workers/whole-buffer';
import type { EncodedIinSnapshot } from './iin-snapshot-codec';

export type SnapshotCodecRequest = { id: number } & (
  | { op: 'encode'; iins: Float64Array }
  | { op: 'decode'; bytes: Uint8Array; count: number; sha256?: string }
);

export type SnapshotCodecAnswer = { id: number } & (
  | { type: 'encoded'; snapshot: EncodedIinSnapshot }
  | { type: 'decoded'; iins: Float64Array }
  | { type: 'error'; message: string }
);

export class SnapshotCodec {
  readonly #worker = new LongLivedWorker<SnapshotCodecRequest, SnapshotCodecAnswer>({
    name: 'snapshot codec worker',
    entry: new URL('./snapshot-codec-worker.ts', import.meta.url),
  });

  /** Workers started so far: one for any number of snapshots, unless one died. */
  get workersStarted(): number {
    return this.#worker.workersStarted;
  }

  /** Starts the worker now, so that the first snapshot does not pay its start on the caller's thread. */
  start(): void {
    this.#worker.start();
  }

  /**
   * encodeIinSnapshot in the worker; `iins` stays the caller's: shared when it is on shared memory (the vectors
   * of the body and audience workers are), else copied into the message.
   */
  encode(iins: ArrayLike<number>): Promise<EncodedIinSnapshot> {
    const own = !(iins instanceof Float64Array);
    const vector = iins instanceof Float64Array ? iins : Float64Array.from(iins);
    return this.#worker.call<EncodedIinSnapshot>({
      send: (post, id) => post({ id, op: 'encode', iins: vector }, own ? wholeBuffer(vector) : []),
      receive: (answer) => {
        if (answer.type === 'encoded') return { value: answer.snapshot };
        if (answer.type === 'error') return { error: new RangeError(answer.message) };
        return { error: new Error(`snapshot codec worker answered ${answer.type} to an encode`) };
      },
    });
  }

  /**
   * decodeIinSnapshot in the worker; the IINs come back on shared memory, not copied. `bytes` is copied, or with
   * `handOver` given to the worker when it is a whole buffer (the caller's view reads empty after). With `sha256`
   * (the stored hash) bytes that no longer match it are refused.
   */
  decode(
    bytes: Uint8Array,
    count: number,
    options: { handOver?: boolean; sha256?: string } = {},
  ): Promise<Float64Array> {
    const { sha256 } = options;
    return this.#worker.call<Float64Array>({
      send: (post, id) =>
        post(
          { id, op: 'decode', bytes, count, ...(sha256 === undefined ? {} : { sha256 }) },
          options.handOver ? wholeBuffer(bytes) : [],
        ),
      receive: (answer) => {
        if (answer.type === 'decoded') return { value: answer.iins };
        if (answer.type === 'error') return { error: new RangeError(answer.message) };
        return { error: new Error(`snapshot codec worker answered ${answer.type} to a decode`) };
      },
    });
  }

  close(): Promise<void> {
    return this.#worker.close();
  }
}

// COPY ... FROM STDIN on one node-postgres connection, written from a few reused buffers (issue 13, item 3).
// Why not pg-copy-streams: it takes a fresh buffer per piece and cannot say when the socket is done with one, so a
// million-row table was ~40 MB of short-lived buffers on the API's thread per table, and the incremental GC
// they set off stalled the event loop for 30-70 ms at a time. Here a buffer goes back to the pool only when the
// socket's write callback says its bytes have left it, so the pool is the back-pressure as well.
import type pg from 'pg';

/** The bytes of one COPY stream, written by the source into the buffers the writer lends. */
export interface CopySource {
  /** Writes the next bytes into `into` from its start; returns how many, 0 once the stream has ended. */
  fill(into: Uint8Array): number;
}

/** Bytes per buffer (a CopyData message): ~8 Ki user rows, ~2 ms of this thread's time to fill. */
export const COPY_BUFFER_BYTES = 256 * 1024;
/** Buffers per COPY: the socket holds a few while the next is filled. */
export const COPY_BUFFERS = 4;

/** What this file uses of node-postgres's connection (its typings leave out sendCopyFail). */
interface CopyConnection {
  readonly stream: NodeJS.WritableStream;
  query(text: string): void;
  sendCopyFail(message: string): void;
}

const COPY_DATA = 0x64; // 'd', then an int32 length that counts itself
const MESSAGE_HEADER_BYTES = 5;
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]); // 'c', length 4

/**
 * Runs `sql` (a COPY ... FROM STDIN) on `client`, one filled buffer per turn of the event loop, and resolves
 * once the server has the rows (in the client's transaction, if one is open). A failure of the source sends
 * CopyFail, so the server keeps nothing of the COPY, and rejects with the source's error.
 */
export function copyIn(client: pg.PoolClient, sql: string, source: CopySource): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(new CopyInQuery(sql, source, resolve, reject));
  });
}

/** A node-postgres "submittable": the client hands it the connection and the server's answers. */
class CopyInQuery implements pg.Submittable {
  private connection: CopyConnection | null = null;
  private readonly free: Uint8Array[] = [];
  private pumping = false;
  private ended = false;
  private settled = false;
  private sourceError: unknown = null;

  constructor(
    private readonly sql: string,
    private readonly source: CopySource,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {
    const memory = new ArrayBuffer(COPY_BUFFER_BYTES * COPY_BUFFERS);
    for (let i = 0; i < COPY_BUFFERS; i++) {
      this.free.push(new Uint8Array(memory, i * COPY_BUFFER_BYTES, COPY_BUFFER_BYTES));
    }
  }

  submit(connection: pg.Connection): void {
    this.connection = connection as unknown as CopyConnection;
    this.connection.query(this.sql);
  }

  /** node-postgres replaces it with its query_timeout handling when that is set; called when the COPY ends. */
  callback(): void {}

  handleCopyInResponse(): void {
    this.schedulePump();
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.callback();
    this.settle(null);
  }

  /** An ErrorResponse of the server (also the answer to CopyFail) or a broken connection. */
  handleError(error: unknown): void {
    this.callback();
    this.settle(this.sourceError ?? error);
  }

  private settle(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.connection = null;
    if (error === null) this.resolve();
    else this.reject(error);
  }

  private schedulePump(): void {
    if (this.pumping) return;
    this.pumping = true;
    setImmediate(() => {
      this.pumping = false;
      this.pumpOne();
    });
  }

  /** Fills one free buffer and hands it to the socket; the next one waits for the next turn. */
  private pumpOne(): void {
    const connection = this.connection;
    if (connection === null || this.ended || this.sourceError !== null) return;
    const buffer = this.free.pop();
    if (buffer === undefined) return; // a write's callback pumps again
    let length: number;
    try {
      length = this.source.fill(buffer.subarray(MESSAGE_HEADER_BYTES));
    } catch (error) {
      this.sourceError = error;
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
      return;
    }
    if (length === 0) {
      this.ended = true;
      connection.stream.write(COPY_DONE);
      return;
    }
    // The CopyData message header goes in front of the bytes, so each piece is one write of one buffer.
    buffer[0] = COPY_DATA;
    new DataView(buffer.buffer, buffer.byteOffset).setUint32(1, length + 4);
    connection.stream.write(buffer.subarray(0, MESSAGE_HEADER_BYTES + length), (error) => {
      // On a failed write the connection reports the error to handleError; the buffer is not reused.
      if (error) return;
      this.free.push(buffer);
      this.schedulePump();
    });
    this.schedulePump();
  }
}

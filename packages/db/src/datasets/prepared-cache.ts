// The prepared cache under DATA_DIR/cache: the decoded form of a dataset file version (its sorted IINs, value
// masks) or of the merged index, written once so that a restart reads typed arrays instead of decoding parquet.
// A cache file names the source version it was made from (for a dataset file: size, mtime and a hash of its
// parquet footer) and the format version; anything that does not match exactly, is cut short or fails its
// checksum is reported as a miss (and rebuilt by the caller), never trusted.
//
// Layout: MAGIC (8 bytes) | format (u32) | header length (u32) | header JSON | sections, each 8-aligned |
// xxh64 of every byte before it (u64). A file's header can be checked alone (peek); its sections are then read
// straight into arrays of their own (fill), in chunks, each hashed while the next one is read.
import { createHash, randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Xxh64 } from '@node-rs/xxhash';

/** Bumped whenever what is written changes meaning; older files are then misses. */
export const PREPARED_FORMAT = 1;

const MAGIC = Buffer.from('CSPREP\r\n', 'latin1');
const PREAMBLE = 16;
const CHECKSUM = 8;

/** A typed array a cache file can hold. */
export type PreparedSection = Float64Array | Uint32Array;

export interface PreparedRecord {
  /** Small facts kept beside the arrays (counts, labels), as JSON. */
  meta: Record<string, unknown>;
  sections: Record<string, PreparedSection>;
}

/** Why a cache file was not used. */
export type PreparedMiss = 'absent' | 'foreign' | 'format' | 'stale' | 'truncated' | 'corrupt';

export type PreparedMissResult = { miss: PreparedMiss; detail: string };

export type PreparedRead = { hit: PreparedRecord } | PreparedMissResult;

/** A cache file's checked header, before its sections are read (PreparedCache.peek). */
export interface PreparedLayout {
  file: string;
  size: number;
  header: PreparedHeader;
  /** The header's bytes as text: a later read checks the file still holds exactly this one. */
  headerText: string;
  /** Where the sections start (the first 8-aligned byte after the header). */
  dataStart: number;
}

export interface PreparedHeader {
  key: string;
  source: unknown;
  meta: Record<string, unknown>;
  sections: Array<{ name: string; type: 'f64' | 'u32'; offset: number; length: number }>;
  /** Bytes of the sections (offsets count from the first 8-aligned byte after the header). */
  bytes: number;
}

export class PreparedCache {
  constructor(readonly dir: string) {}

  /** The file of a cache key (what it is of: a dataset's file and columns, or the merged index's datasets). */
  fileOf(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.prepared`);
  }

  /**
   * The record cached under `key` for exactly this `source` version, or why not. `shared` reads the sections
   * into SharedArrayBuffers (worker threads can then read them without a copy).
   */
  async read(key: string, source: unknown, options: { shared?: boolean } = {}): Promise<PreparedRead> {
    const peeked = await this.peek(key, source);
    if ('miss' in peeked) return peeked;
    return this.fill(peeked.layout, allocateSections(peeked.layout, options.shared ?? false));
  }

  /**
   * The layout of the file cached under `key` for exactly this `source` version (its header, checked: magic,
   * format, key, source, size), or why not; a few hundred bytes are read, not the sections.
   */
  peek(key: string, source: unknown): Promise<{ layout: PreparedLayout } | PreparedMissResult> {
    const file = this.fileOf(key);
    return withCacheFile(file, (handle) => layoutOf(handle, file, key, source));
  }

  /**
   * Reads a peeked file's sections into `into` (arrays of the layout's types and lengths, see allocateSections)
   * and checks the checksum over every byte as it reads. A file that no longer holds the peeked header (replaced
   * since), is cut short or fails its checksum is a miss; `into` then holds garbage. `pause`, asked before the
   * first chunk and between chunks, lets a background read give way (FilterGate): it waits for the promise it
   * returns, if any.
   */
  fill(
    layout: PreparedLayout,
    into: PreparedRecord['sections'],
    options: { pause?: () => Promise<void> | undefined } = {},
  ): Promise<PreparedRead> {
    const { file } = layout;
    return withCacheFile(file, async (handle): Promise<PreparedRead> => {
      const now = await layoutOf(handle, file, layout.header.key, layout.header.source);
      if ('miss' in now) return now;
      if (now.layout.headerText !== layout.headerText)
        return { miss: 'stale', detail: `${file} was replaced since its header was read` };
      // The file in order: preamble and header, then each section after its padding, then the checksum.
      const parts: Uint8Array[] = [new Uint8Array(layout.dataStart)];
      let at = layout.dataStart;
      for (const s of [...layout.header.sections].sort((a, b) => a.offset - b.offset)) {
        const array = into[s.name];
        const type = array instanceof Float64Array ? 'f64' : 'u32';
        if (!array || type !== s.type || array.length !== s.length)
          throw new Error(`section ${s.name} needs a ${s.type} array of ${s.length}`);
        parts.push(new Uint8Array(layout.dataStart + s.offset - at));
        parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        at = layout.dataStart + s.offset + array.byteLength;
      }
      parts.push(new Uint8Array(layout.size - CHECKSUM - at));
      const digest = await readHashed(handle, parts, options.pause);
      const checksum = Buffer.alloc(CHECKSUM);
      await readFully(handle, checksum, layout.size - CHECKSUM);
      if (digest !== checksum.readBigUInt64LE(0))
        return { miss: 'corrupt', detail: `${file} fails its checksum` };
      return { hit: { meta: layout.header.meta, sections: into } };
    });
  }

  /** Writes the record for `key` made from `source` (a temporary file renamed into place: readers see all or nothing). */
  async write(key: string, source: unknown, record: PreparedRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    let at = 0;
    const sections = Object.entries(record.sections).map(([name, array]) => {
      const type = array instanceof Float64Array ? ('f64' as const) : ('u32' as const);
      const section = { name, type, offset: at, length: array.length };
      at = align8(at + array.byteLength);
      return section;
    });
    const header: PreparedHeader = { key, source, meta: record.meta, sections, bytes: at };
    const headerBuffer = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.alloc(PREAMBLE);
    MAGIC.copy(preamble, 0);
    preamble.writeUInt32LE(PREPARED_FORMAT, 8);
    preamble.writeUInt32LE(headerBuffer.byteLength, 12);
    const file = this.fileOf(key);
    const temporary = `${file}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      const hash = new Xxh64(0n);
      let at = 0;
      const put = async (bytes: Uint8Array) => {
        if (bytes.byteLength === 0) return;
        hash.update(bytes);
        await handle.write(bytes, 0, bytes.byteLength, at);
        at += bytes.byteLength;
      };
      await put(preamble);
      await put(headerBuffer);
      const dataStart = align8(at);
      for (const s of header.sections) {
        await put(new Uint8Array(dataStart + s.offset - at));
        const array = record.sections[s.name]!;
        await put(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      }
      await put(new Uint8Array(dataStart + header.bytes - at));
      const checksum = Buffer.alloc(CHECKSUM);
      checksum.writeBigUInt64LE(hash.digest(), 0);
      await handle.write(checksum, 0, CHECKSUM, at);
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, file);
  }
}

/** A dataset file's identity: size, modification time and a hash of its parquet footer (or of its tail). */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  footerHash: string;
}

/** Footers larger than this are not parquet we can read anyway; the tail this long is hashed instead. */
const MAX_FOOTER = 16 << 20;
const TAIL = 64 << 10;

/** The identity of a regular file, undefined when there is none. */
export async function fileIdentity(file: string): Promise<FileIdentity | undefined> {
  let handle: FileHandle;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size, mtimeMs } = await handle.stat();
    // Parquet ends with the footer, its length (u32) and "PAR1".
    let footer = Math.min(size, TAIL);
    if (size >= 12) {
      const end = Buffer.alloc(8);
      await readFully(handle, end, size - 8);
      const length = end.readUInt32LE(0);
      if (end.toString('latin1', 4) === 'PAR1' && length + 8 <= size && length <= MAX_FOOTER)
        footer = length + 8;
    }
    const tail = Buffer.alloc(footer);
    await readFully(handle, tail, size - footer);
    return { size, mtimeMs, footerHash: new Xxh64(0n).update(tail).digest().toString(16) };
  } finally {
    await handle.close();
  }
}

export function sameIdentity(a: FileIdentity | undefined, b: FileIdentity | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.footerHash === b.footerHash
  );
}

/** `use` of the cache file opened for reading: absent when it cannot be opened, corrupt when `use` throws. */
async function withCacheFile<T>(
  file: string,
  use: (handle: FileHandle) => Promise<T | PreparedMissResult>,
): Promise<T | PreparedMissResult> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { miss: 'absent', detail: `no cache file ${file}` };
  }
  try {
    return await use(handle);
  } catch (error) {
    return { miss: 'corrupt', detail: `${file}: ${(error as Error).message}` };
  } finally {
    await handle.close();
  }
}

/** The file's header checked against `key` and `source` (magic, format, size), from an open handle. */
async function layoutOf(
  handle: FileHandle,
  file: string,
  key: string,
  source: unknown,
): Promise<{ layout: PreparedLayout } | PreparedMissResult> {
  const size = (await handle.stat()).size;
  if (size < PREAMBLE + CHECKSUM) return { miss: 'foreign', detail: `${file} is not a prepared-cache file` };
  const preamble = Buffer.alloc(PREAMBLE);
  await readFully(handle, preamble, 0);
  if (!preamble.subarray(0, 8).equals(MAGIC))
    return { miss: 'foreign', detail: `${file} is not a prepared-cache file` };
  const format = preamble.readUInt32LE(8);
  if (format !== PREPARED_FORMAT)
    return { miss: 'format', detail: `${file} has format ${format}, this build reads ${PREPARED_FORMAT}` };
  const headerBytes = preamble.readUInt32LE(12);
  if (PREAMBLE + headerBytes + CHECKSUM > size) return { miss: 'truncated', detail: `${file} is cut short` };
  const headerBuffer = Buffer.alloc(headerBytes);
  await readFully(handle, headerBuffer, PREAMBLE);
  const headerText = headerBuffer.toString('utf8');
  let header: PreparedHeader;
  try {
    header = JSON.parse(headerText) as PreparedHeader;
  } catch {
    return { miss: 'corrupt', detail: `${file} has an unreadable header` };
  }
  if (header.key !== key) return { miss: 'foreign', detail: `${file} holds another key` };
  if (JSON.stringify(header.source) !== JSON.stringify(source))
    return { miss: 'stale', detail: `${file} was prepared from another version of its source` };
  const dataStart = align8(PREAMBLE + headerBytes);
  const expectedSize = dataStart + header.bytes + CHECKSUM;
  if (size < expectedSize) return { miss: 'truncated', detail: `${file} is cut short` };
  if (size > expectedSize) return { miss: 'corrupt', detail: `${file} is longer than its header says` };
  return { layout: { file, size, header, headerText, dataStart } };
}

/** Empty arrays of a layout's sections, for PreparedCache.fill (`shared`: on SharedArrayBuffers). */
export function allocateSections(layout: PreparedLayout, shared: boolean): PreparedRecord['sections'] {
  const sections: PreparedRecord['sections'] = {};
  for (const s of layout.header.sections) {
    const bytes = s.length * (s.type === 'f64' ? 8 : 4);
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    sections[s.name] = s.type === 'f64' ? new Float64Array(buffer) : new Uint32Array(buffer);
  }
  return sections;
}

/** Bytes per read of a cache file, and reads in flight at once (the hash of one chunk overlaps the next reads). */
const CHUNK = 8 << 20;
const READS_IN_FLIGHT = 2;

/** Reads consecutive parts of the file from its start and returns the xxh64 of them all (see fill's `pause`). */
async function readHashed(
  handle: FileHandle,
  parts: Uint8Array[],
  pause?: () => Promise<void> | undefined,
): Promise<bigint> {
  const chunks: Array<{ bytes: Uint8Array; position: number }> = [];
  let position = 0;
  for (const part of parts) {
    for (let at = 0; at < part.byteLength; at += CHUNK) {
      const bytes = part.subarray(at, Math.min(part.byteLength, at + CHUNK));
      chunks.push({ bytes, position });
      position += bytes.byteLength;
    }
  }
  const hash = new Xxh64(0n);
  const reads: Promise<void>[] = [];
  const start = (k: number) => {
    if (k >= chunks.length) return;
    reads[k] = readFully(handle, chunks[k]!.bytes, chunks[k]!.position);
    // A read that fails while an earlier one (or a pause) is awaited is reported when its turn comes.
    reads[k]!.catch(() => {});
  };
  const paused = pause?.();
  if (paused !== undefined) await paused;
  for (let k = 0; k < READS_IN_FLIGHT; k++) start(k);
  for (let k = 0; k < chunks.length; k++) {
    await reads[k];
    hash.update(chunks[k]!.bytes);
    const again = k + READS_IN_FLIGHT < chunks.length ? pause?.() : undefined;
    if (again !== undefined) await again;
    start(k + READS_IN_FLIGHT);
  }
  return hash.digest();
}

async function readFully(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < into.byteLength) {
    // Reads of at most 256 MB (a single read is capped at 2 GB).
    const { bytesRead } = await handle.read(
      into,
      done,
      Math.min(into.byteLength - done, 1 << 28),
      position + done,
    );
    if (bytesRead === 0) throw new Error('unexpected end of file');
    done += bytesRead;
  }
}

const align8 = (n: number) => (n + 7) & ~7;

// Parquet pages -> IINs and value codes without Arrow, for files shaped like the bank's exports: flat columns,
// PLAIN or dictionary pages (v1 or v2), snappy or no compression. hyparquet parses the footer and the page headers;
// the values are read here straight from the page bytes, so a 12-character text IIN becomes a number and a value
// cell a code with no JS string per row (parquet-wasm through Arrow made one per text cell). A file using anything
// else (nested columns, delta encodings, other codecs) is left to the parquet-wasm path: planPageRead says so.
import { parquetMetadataAsync } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import type { ColumnMetaData, FileMetaData, PageHeader, SchemaElement } from 'hyparquet/src/types.js';
import { snappyUncompressorView } from 'hysnappy';
import { iinOfText, MAX_IIN, twelveDigitWord } from './arrow-iins';
import { DatasetError } from './dataset-error';
import { decodeDictionaryIndices, MAX_DICTIONARY_BITS, paddedDictionary } from './dictionary-page';
import type { ValueEncoder } from './value-encoder';
import { MAX_BUCKETED_CODE, type ValueRowBuckets } from './value-row-buckets';

/** Bytes of a file by range, [start, end). */
export interface ByteRanges {
  size: number;
  read(start: number, end: number): Promise<ArrayBuffer>;
  /**
   * Reads [start, start + into.length) into `into`, throwing when the source ends first. The page reader reads
   * its column chunks so into buffers it reuses: a fresh 1-2 MB buffer per chunk cost page faults and GC.
   */
  readInto?(start: number, into: Uint8Array): Promise<void>;
}

/** One row group's rows as the sink takes them: IIN per row (-1: none), value code per row (-1: none). */
export interface PageRowSink {
  addRows(iins: Float64Array, codes: Int32Array | undefined, length: number, invalid: number): void;
  /**
   * The IIN buckets rows go to once they came in no order (undefined: through addRows). The reader then adds each
   * row to them as its IIN is parsed (a set dataset's with code 0) and reports the rows to countRows: an array of
   * the group's IINs written, counted and read again cost about a third of a text IIN's decode.
   */
  bucketed?(): ValueRowBuckets | undefined;
  countRows?(length: number, invalid: number): void;
}

/** What a page read of a file needs: its footer, and the two columns' places in it. */
export interface PageReadPlan {
  metadata: FileMetaData;
  names: string[];
  iin: ColumnPlan;
  value: ColumnPlan | undefined;
}

interface ColumnPlan {
  /** Index among the row group's column chunks. */
  chunk: number;
  element: SchemaElement;
  /** Whether the column has definition levels (OPTIONAL). */
  optional: boolean;
}

const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);
const SUPPORTED_ENCODINGS = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED']);
const IIN_TYPES = new Set(['BYTE_ARRAY', 'INT64', 'INT32', 'DOUBLE', 'FLOAT']);

/** The file's footer (hyparquet), or undefined when it is not parquet hyparquet reads (parquet-wasm then says why). */
export async function readFooter(source: ByteRanges): Promise<FileMetaData | undefined> {
  try {
    return await parquetMetadataAsync({
      byteLength: source.size,
      slice: (start: number, end?: number) => source.read(start, end ?? source.size),
    });
  } catch {
    return undefined;
  }
}

/** Top-level column names of a footer's schema. */
export function footerColumnNames(metadata: FileMetaData): string[] {
  const names: string[] = [];
  const schema = metadata.schema;
  // schema[0] is the root; walk its children, skipping the subtrees of nested ones.
  for (let i = 1; i < schema.length; ) {
    names.push(schema[i]!.name);
    i = skipSubtree(schema, i);
  }
  return names;
}

function skipSubtree(schema: SchemaElement[], at: number): number {
  let pending = 1;
  let i = at;
  while (pending > 0 && i < schema.length) {
    pending += (schema[i]!.num_children ?? 0) - 1;
    i++;
  }
  return i;
}

/**
 * The plan for reading `iinName` (and `valueName`) from pages, or undefined when the file needs the general reader:
 * a nested schema, a codec or encoding not handled here, a value column that is not text, a decimal IIN.
 */
export function planPageRead(
  metadata: FileMetaData,
  iinName: string,
  valueName: string | undefined,
): PageReadPlan | undefined {
  const schema = metadata.schema;
  const leaves = schema.slice(1);
  if (leaves.some((e) => (e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED')) return undefined;
  const names = leaves.map((e) => e.name);
  const planOf = (name: string): ColumnPlan | undefined => {
    const chunk = names.indexOf(name);
    if (chunk < 0) return undefined;
    const element = leaves[chunk]!;
    return { chunk, element, optional: element.repetition_type === 'OPTIONAL' };
  };
  const iin = planOf(iinName);
  if (!iin || !IIN_TYPES.has(iin.element.type ?? '')) return undefined;
  if (iin.element.converted_type === 'DECIMAL' || iin.element.logical_type?.type === 'DECIMAL')
    return undefined;
  if (iin.element.converted_type === 'UINT_64' || iin.element.converted_type === 'UINT_32') return undefined;
  const value = valueName === undefined ? undefined : planOf(valueName);
  if (valueName !== undefined && value?.element.type !== 'BYTE_ARRAY') return undefined;
  for (const group of metadata.row_groups) {
    if (group.columns.length !== leaves.length) return undefined;
    for (const plan of value ? [iin, value] : [iin]) {
      const meta = group.columns[plan.chunk]!.meta_data;
      if (!meta || group.columns[plan.chunk]!.file_path) return undefined;
      if (!SUPPORTED_CODECS.has(meta.codec)) return undefined;
      if (meta.encodings.some((e) => !SUPPORTED_ENCODINGS.has(e))) return undefined;
    }
  }
  return { metadata, names, iin, value };
}

/**
 * Reads every row group of the plan into the sink, one group at a time (its two column chunks in memory, no
 * more). Throws DatasetError DATASET.UNREADABLE naming the row group when a page cannot be decoded.
 */
export async function readPages(
  source: ByteRanges,
  plan: PageReadPlan,
  encoder: ValueEncoder | undefined,
  sink: PageRowSink,
): Promise<void> {
  const scratch = new PageScratch();
  const groups = plan.metadata.row_groups;
  // The next group's chunks are read while this one decodes (the read waits on the disk or the thread pool):
  // even groups read into one pair of buffers, odd ones into the other.
  const buffers = [new ChunkBuffer(), new ChunkBuffer(), new ChunkBuffer(), new ChunkBuffer()];
  const fetchGroup = (g: number) => {
    const columns = groups[g]!.columns;
    const chunks = [fetchChunk(source, columns[plan.iin.chunk]!.meta_data!, buffers[(g & 1) * 2]!)];
    if (plan.value)
      chunks.push(fetchChunk(source, columns[plan.value.chunk]!.meta_data!, buffers[(g & 1) * 2 + 1]!));
    const all = Promise.all(chunks);
    all.catch(() => {}); // awaited (and reported) when its turn comes
    return all;
  };
  let iins = new Float64Array(0);
  let codes = new Int32Array(0);
  let zeros = new Int32Array(0);
  let next = groups.length > 0 ? fetchGroup(0) : undefined;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const rows = Number(group.num_rows);
    if (iins.length < rows) {
      iins = new Float64Array(rows);
      if (plan.value) codes = new Int32Array(rows);
    }
    try {
      const [iinBytes, valueBytes] = await next!;
      next = g + 1 < groups.length ? fetchGroup(g + 1) : undefined;
      const iinMeta = group.columns[plan.iin.chunk]!.meta_data!;
      const buckets = sink.bucketed?.();
      if (buckets) {
        // Codes first, so that each IIN goes to its bucket with its row's code as it is parsed.
        if (plan.value) {
          const valueMeta = group.columns[plan.value.chunk]!.meta_data!;
          readValueChunk(valueBytes!, valueMeta, plan.value, rows, codes, encoder!, scratch);
        } else if (zeros.length < rows) zeros = new Int32Array(rows);
        if (!plan.value || encoder!.labels.length <= MAX_BUCKETED_CODE + 1) {
          const rowCodes = plan.value ? codes : zeros;
          const invalid = bucketIinChunk(
            iinBytes!,
            iinMeta,
            plan.iin,
            rows,
            rowCodes,
            buckets,
            iins,
            scratch,
          );
          sink.countRows!(rows, invalid);
          continue;
        }
        // A code the buckets cannot hold: the sink takes the rows and leaves the buckets.
        const invalid = readIinChunk(iinBytes!, iinMeta, plan.iin, rows, iins, scratch);
        sink.addRows(iins, codes, rows, invalid);
        continue;
      }
      const invalid = readIinChunk(iinBytes!, iinMeta, plan.iin, rows, iins, scratch);
      if (plan.value) {
        const valueMeta = group.columns[plan.value.chunk]!.meta_data!;
        readValueChunk(valueBytes!, valueMeta, plan.value, rows, codes, encoder!, scratch);
      }
      sink.addRows(iins, plan.value ? codes : undefined, rows, invalid);
    } catch (cause) {
      if (cause instanceof DatasetError) throw cause;
      throw new DatasetError(
        'DATASET.UNREADABLE',
        `row group ${g} could not be decoded (${cause instanceof Error ? cause.message : String(cause)})`,
        { cause },
      );
    }
  }
}

/** Bytes a column chunk is read into, grown as needed and reused from row group to row group. */
class ChunkBuffer {
  private bytes = new Uint8Array(0);
  take(length: number): Uint8Array {
    if (this.bytes.length < length)
      this.bytes = new Uint8Array(Math.max(length, Math.ceil(this.bytes.length * 1.25)));
    return this.bytes.subarray(0, length);
  }
}

async function fetchChunk(
  source: ByteRanges,
  meta: ColumnMetaData,
  buffer: ChunkBuffer,
): Promise<Uint8Array> {
  const dictionary = meta.dictionary_page_offset;
  let start = Number(meta.data_page_offset);
  if (dictionary !== undefined && dictionary > 0n && Number(dictionary) < start) start = Number(dictionary);
  const end = start + Number(meta.total_compressed_size);
  if (end > source.size) throw new Error(`column chunk ends at ${end}, past the end of the file`);
  if (!source.readInto) return new Uint8Array(await source.read(start, end));
  const into = buffer.take(end - start);
  await source.readInto(start, into);
  return into;
}

/**
 * Snappy through WebAssembly (hysnappy), one instance per thread, made on first use. Its memory is reused from
 * page to page: the native addon allocated a fresh ~2 MB buffer per DuckDB page, and the kernel's time faulting
 * those in cost twice the decompression itself (push_preferences' text IIN pages: 2.2 s wall vs 0.8 s here).
 * The page comes back as a view of that memory (our patch of hysnappy, patches/): hysnappy's own copy of each
 * page was a fresh 2 MB buffer again. A view is valid until the next page is decompressed, so each page is
 * decoded before the next one is asked for.
 */
let uncompressSnappy: ((input: Uint8Array, length: number) => Uint8Array) | undefined;

/** Buffers reused from page to page: the definition levels, the dictionary indices. */
class PageScratch {
  levels = new Uint8Array(0);

  /** The page's bytes [from, from + compressed) decompressed to `size` bytes (a view of the chunk when stored plain). */
  body(chunk: Uint8Array, from: number, compressed: number, size: number, codec: string): Uint8Array {
    const input = chunk.subarray(from, from + compressed);
    if (codec === 'UNCOMPRESSED') return input;
    // The block's own length header must match the page header's: the decoder writes as many bytes as the block
    // says, and the page's values are read up to `size`.
    const declared = readVarint(input, 0).value;
    if (declared !== size) throw new Error(`a snappy page holds ${declared} bytes, its header says ${size}`);
    uncompressSnappy ??= snappyUncompressorView();
    return uncompressSnappy(input, size);
  }

  private codes = new Int32Array(0);

  codesFor(n: number): Int32Array {
    if (this.codes.length < n) this.codes = new Int32Array(Math.max(n, this.codes.length * 2));
    return this.codes;
  }

  levelsFor(n: number): Uint8Array {
    if (this.levels.length < n) this.levels = new Uint8Array(Math.max(n, this.levels.length * 2));
    return this.levels;
  }
}

/** A data page's values as a view, after its levels: `defined` says which rows hold a value (undefined: all). */
interface PageValues {
  values: Uint8Array;
  count: number;
  defined: Uint8Array | undefined;
  encoding: string;
}

/**
 * Walks a column chunk's pages: the dictionary page (if any) goes to `onDictionary`, each data page's values to
 * `onData` with the row they start at. Returns the rows seen.
 */
function walkPages(
  chunk: Uint8Array,
  meta: ColumnMetaData,
  column: ColumnPlan,
  scratch: PageScratch,
  onDictionary: (values: Uint8Array, count: number) => void,
  onData: (page: PageValues, row: number) => void,
): number {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const reader = { view, offset: 0 };
  const total = Number(meta.num_values);
  let row = 0;
  while (row < total && reader.offset < chunk.byteLength) {
    const header: PageHeader = parquetHeader(reader);
    const from = reader.offset;
    reader.offset += header.compressed_page_size;
    const whole = () =>
      scratch.body(chunk, from, header.compressed_page_size, header.uncompressed_page_size, meta.codec);
    if (header.type === 'DICTIONARY_PAGE') {
      const dictionary = header.dictionary_page_header!;
      onDictionary(whole(), dictionary.num_values);
    } else if (header.type === 'DATA_PAGE') {
      const data = header.data_page_header!;
      const body = whole();
      const count = data.num_values;
      let at = 0;
      let defined: Uint8Array | undefined;
      if (column.optional) {
        const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
        defined = levels(body.subarray(4, 4 + length), count, scratch);
        at = 4 + length;
      }
      onData({ values: body.subarray(at), count, defined, encoding: data.encoding }, row);
      row += count;
    } else if (header.type === 'DATA_PAGE_V2') {
      const data = header.data_page_header_v2!;
      const levelBytes = data.repetition_levels_byte_length + data.definition_levels_byte_length;
      if (data.repetition_levels_byte_length !== 0) throw new Error('repetition levels in a flat column');
      const count = data.num_values;
      const defined =
        column.optional && data.num_nulls > 0
          ? levels(chunk.subarray(from, from + data.definition_levels_byte_length), count, scratch)
          : undefined;
      const body = data.is_compressed
        ? scratch.body(
            chunk,
            from + levelBytes,
            header.compressed_page_size - levelBytes,
            header.uncompressed_page_size - levelBytes,
            meta.codec,
          )
        : chunk.subarray(from + levelBytes, from + header.compressed_page_size);
      onData({ values: body, count, defined, encoding: data.encoding }, row);
      row += count;
    }
    // Index pages carry nothing a reader needs.
  }
  if (row !== total) throw new Error(`column chunk holds ${row} values, its footer says ${total}`);
  return row;
}

/** Definition levels (bit width 1) -> 1 per row with a value, or undefined when every row has one. */
function levels(encoded: Uint8Array, count: number, scratch: PageScratch): Uint8Array | undefined {
  // The common case, one RLE run of 1s: header varint (count << 1), then the value byte.
  const run = readVarint(encoded, 0);
  if ((run.value & 1) === 0 && run.value >>> 1 >= count && encoded[run.next] === 1) return undefined;
  const out = scratch.levelsFor(count).subarray(0, count);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  readRleBitPackedHybrid({ view, offset: 0 }, 1, out, encoded.byteLength);
  return out;
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let i = at;
  for (; i < bytes.length && shift < 35; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
  }
  return { value: -1, next: i };
}

/** Dictionary indices of a page (bit width byte, then the RLE/bit-packed hybrid) for `count` values. */
function dictionaryIndices(values: Uint8Array, count: number, into: Int32Array): Int32Array {
  const out = into.subarray(0, count);
  if (count === 0) return out;
  const width = values[0]!;
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  readRleBitPackedHybrid({ view, offset: 1 }, width, out, values.byteLength - 1);
  return out;
}

/**
 * Writes a column chunk's values into out[0, rows), -1 for rows without one: PLAIN pages through `plain` (which
 * decodes `count` values into an array), dictionary pages through the dictionary `plain` made of its page.
 */
function readChunk<T extends Float64Array | Int32Array>(
  chunk: Uint8Array,
  meta: ColumnMetaData,
  column: ColumnPlan,
  rows: number,
  out: T,
  scratch: PageScratch,
  make: (length: number) => T,
  plain: (values: Uint8Array, count: number, into: T) => void,
  hooks: PageHooks = {},
): void {
  let dictionary: T | undefined;
  // The dictionary padded for the pages' index width (most chunks use one width throughout).
  let lookup: T | undefined;
  let lookupWidth = -1;
  const seen = walkPages(
    chunk,
    meta,
    column,
    scratch,
    (values, count) => {
      dictionary = make(count);
      plain(values, count, dictionary);
      lookupWidth = -1;
    },
    (page, row) => {
      if (row + page.count > rows) throw new Error('more values than rows in the row group');
      if (hooks.direct?.(page, row)) return;
      decodePage(page, row);
      hooks.decoded?.(row, page.count);
    },
  );
  if (seen !== rows) throw new Error(`a column holds ${seen} rows, its row group ${rows}`);

  function decodePage(page: PageValues, row: number): void {
    const target = out.subarray(row, row + page.count) as T;
    const defined = page.defined;
    const present = defined ? countDefined(defined, page.count) : page.count;
    if (page.encoding === 'PLAIN') {
      const dense = defined ? make(present) : target;
      plain(page.values, present, dense);
      if (defined) {
        let k = 0;
        for (let i = 0; i < page.count; i++) target[i] = defined[i] ? dense[k++]! : -1;
      }
      return;
    }
    if (!dictionary) throw new Error('dictionary-encoded page without a dictionary');
    const width = page.values[0];
    if (!defined && width !== undefined && width <= MAX_DICTIONARY_BITS) {
      if (lookupWidth !== width) {
        lookup = paddedDictionary(dictionary, width, make);
        lookupWidth = width;
      }
      decodeDictionaryIndices(page.values, 1, width, page.count, lookup!, target);
      return;
    }
    const indices = dictionaryIndices(page.values, present, scratch.codesFor(present));
    const dict = dictionary;
    if (defined) {
      let k = 0;
      for (let i = 0; i < page.count; i++) target[i] = defined[i] ? (dict[indices[k++]!] ?? -1) : -1;
    } else for (let i = 0; i < page.count; i++) target[i] = dict[indices[i]!] ?? -1;
  }
}

/** What readChunk does with a data page besides decoding it into `out`. */
interface PageHooks {
  /** Takes the page itself (true) instead of having it decoded into `out` (false). */
  direct?: (page: PageValues, row: number) => boolean;
  /** Called after a page was decoded into out[row, row + count). */
  decoded?: (row: number, count: number) => void;
}

/**
 * The chunk's IINs added to the buckets with codes[row] each (rows with code -1 left out); returns how many rows had
 * no IIN. PLAIN text pages are parsed straight into the buckets; other pages are decoded into `iins` first.
 */
function bucketIinChunk(
  chunk: Uint8Array,
  meta: ColumnMetaData,
  column: ColumnPlan,
  rows: number,
  codes: Int32Array,
  buckets: ValueRowBuckets,
  iins: Float64Array,
  scratch: PageScratch,
): number {
  const type = column.element.type!;
  let invalid = 0;
  const make = (length: number) => new Float64Array(length);
  const plain = (values: Uint8Array, count: number, into: Float64Array) =>
    plainIins(values, count, type, into);
  readChunk(chunk, meta, column, rows, iins, scratch, make, plain, {
    direct: (page, row) => {
      if (type !== 'BYTE_ARRAY' || page.encoding !== 'PLAIN') return false;
      invalid += bucketTextIins(page, codes, row, buckets);
      return true;
    },
    decoded: (row, count) => {
      for (let i = row; i < row + count; i++) if (iins[i]! < 0) invalid++;
      // Decoded IINs are integers in [0, 10^12] or -1, and the caller checked the codes: every row fits.
      if (buckets.add(iins, codes, row, row + count) !== row + count)
        throw new Error('a row its IIN bucket cannot hold');
    },
  });
  return invalid;
}

/**
 * A PLAIN text page's IINs (12 digits read as three words, anything else as plainIins reads it) each added to its
 * bucket with codes[row + i], in one pass; returns the rows without an IIN (null, empty, not digits).
 */
function bucketTextIins(page: PageValues, codes: Int32Array, row: number, buckets: ValueRowBuckets): number {
  const { values, count, defined } = page;
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  const end = values.byteLength;
  let at = 0;
  let invalid = 0;
  for (let i = 0; i < count; i++) {
    if (defined !== undefined && defined[i] === 0) {
      invalid++;
      continue;
    }
    if (at + 4 > end) throw new Error('a text value runs past its page');
    const length = view.getUint32(at, true);
    const start = at + 4;
    at = start + length;
    if (at > end) throw new Error('a text value runs past its page');
    let v = length === 12 ? twelveDigitsAt(view, start) : -1;
    if (v < 0) v = iinOfText(values, start, at);
    if (v < 0) {
      invalid++;
      continue;
    }
    const code = codes[row + i]!;
    if (code >= 0) buckets.addRow(v, code);
  }
  return invalid;
}

/** Writes the chunk's IINs into out[0, rows) (-1 for none) and returns how many rows had none. */
function readIinChunk(
  chunk: Uint8Array,
  meta: ColumnMetaData,
  column: ColumnPlan,
  rows: number,
  out: Float64Array,
  scratch: PageScratch,
): number {
  const type = column.element.type!;
  const make = (length: number) => new Float64Array(length);
  readChunk(chunk, meta, column, rows, out, scratch, make, (values, count, into) =>
    plainIins(values, count, type, into),
  );
  let invalid = 0;
  for (let i = 0; i < rows; i++) if (out[i]! < 0) invalid++;
  return invalid;
}

/** Writes the chunk's value codes into out[0, rows) (-1 for null or empty cells). */
function readValueChunk(
  chunk: Uint8Array,
  meta: ColumnMetaData,
  column: ColumnPlan,
  rows: number,
  out: Int32Array,
  encoder: ValueEncoder,
  scratch: PageScratch,
): void {
  // A dictionary's entries get one code each: a handful of strings made, not one per row.
  const make = (length: number) => new Int32Array(length);
  readChunk(chunk, meta, column, rows, out, scratch, make, (values, count, into) =>
    plainCodes(values, count, encoder, into),
  );
}

/** `count` PLAIN values of an IIN column -> numbers (-1 where a value is no IIN). */
function plainIins(values: Uint8Array, count: number, type: string, out: Float64Array): void {
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  switch (type) {
    case 'BYTE_ARRAY': {
      const end = values.byteLength;
      let at = 0;
      for (let i = 0; i < count; i++) {
        if (at + 4 > end) throw new Error('a text value runs past its page');
        const length = view.getUint32(at, true);
        const start = at + 4;
        at = start + length;
        if (at > end) throw new Error('a text value runs past its page');
        const v = length === 12 ? twelveDigitsAt(view, start) : -1;
        out[i] = v >= 0 ? v : iinOfText(values, start, at);
      }
      return;
    }
    case 'INT64': {
      if (values.byteLength < count * 8) throw new Error('page shorter than its values');
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(8 * i, true);
        const hi = view.getInt32(8 * i + 4, true);
        const v = hi * 4294967296 + lo;
        out[i] = hi < 0 || v > MAX_IIN ? -1 : v;
      }
      return;
    }
    case 'INT32': {
      if (values.byteLength < count * 4) throw new Error('page shorter than its values');
      for (let i = 0; i < count; i++) {
        const v = view.getInt32(4 * i, true);
        out[i] = v >= 0 ? v : -1;
      }
      return;
    }
    case 'DOUBLE':
    case 'FLOAT': {
      const width = type === 'DOUBLE' ? 8 : 4;
      if (values.byteLength < count * width) throw new Error('page shorter than its values');
      for (let i = 0; i < count; i++) {
        const v = width === 8 ? view.getFloat64(8 * i, true) : view.getFloat32(4 * i, true);
        out[i] = v >= 0 && v <= MAX_IIN && Math.floor(v) === v ? v : -1;
      }
      return;
    }
    default:
      throw new DatasetError('DATASET.IIN_COLUMN_TYPE', `IIN column has parquet type ${type}`);
  }
}

/** `count` PLAIN text values (length-prefixed) -> their codes in out[0, count). */
function plainCodes(values: Uint8Array, count: number, encoder: ValueEncoder, out: Int32Array): void {
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + 4 > values.byteLength) throw new Error('a text value runs past its page');
    const length = view.getUint32(at, true);
    if (at + 4 + length > values.byteLength) throw new Error('a text value runs past its page');
    out[k] = encoder.codeOfBytes(values, at + 4, at + 4 + length);
    at += 4 + length;
  }
}

function countDefined(defined: Uint8Array, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) n += defined[i]!;
  return n;
}

/** Twelve ASCII digits at `at` as three little-endian words (any alignment), or -1 when one is not a digit. */
function twelveDigitsAt(view: DataView, at: number): number {
  return twelveDigitWord(
    view.getUint32(at, true),
    view.getUint32(at + 4, true),
    view.getUint32(at + 8, true),
  );
}

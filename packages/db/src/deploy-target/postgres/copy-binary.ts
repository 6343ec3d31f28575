// User rows in PostgreSQL's binary COPY format, for COPY ... FROM STDIN WITH (FORMAT binary).
// Why: COPY loads several times faster than multi-row INSERTs (bench:deploy), and the binary format spares the
// server parsing dates. The rows are written straight into buffers, digits by arithmetic: no per-row strings.
import type { CopySource } from './copy-in';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]; // PGCOPY\n\377\r\n\0
const HEADER_LENGTH = SIGNATURE.length + 4 + 4; // + flags + header extension length
const TRAILER_LENGTH = 2;
const DAY_MS = 86_400_000;
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A 'YYYY-MM-DD' date as PostgreSQL's binary date: days since 2000-01-01. */
function postgresDays(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a date YYYY-MM-DD: ${date}`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const back = new Date(ms).toISOString().slice(0, 10);
  if (back !== date) throw new RangeError(`not a real date: ${date}`);
  return Math.round((ms - POSTGRES_EPOCH_MS) / DAY_MS);
}

/**
 * Rows (campaign code, 12-digit IIN, ...dates) for the columns (CAMPAIGNCODE, IIN[, DATE_START, DATE_END]), as
 * one COPY stream: the header, the rows, the trailer, written into whatever buffers the COPY writer lends
 * (copy-in.ts), as many whole rows as fit each time. A null date is SQL NULL. Nothing is allocated per piece:
 * a million rows are written through the same few buffers. Dates are checked here, IINs as they are written.
 */
export function userRowsCopySource(
  campaignCode: string,
  iins: ArrayLike<number>,
  dates: readonly (string | null)[] = [],
): CopySource {
  const code = new TextEncoder().encode(campaignCode);
  const days = dates.map((d) => (d === null ? null : postgresDays(d)));
  const row = rowTemplate(code, days);
  const digitsAt = 2 + 4 + code.length + 4;
  let next = 0;
  let headerWritten = false;
  let trailerWritten = false;
  return {
    fill(into) {
      let at = 0;
      if (!headerWritten) {
        if (into.length < HEADER_LENGTH + TRAILER_LENGTH + row.length)
          throw new RangeError('COPY buffer too small');
        into.set(SIGNATURE, 0);
        into.fill(0, SIGNATURE.length, HEADER_LENGTH); // flags and header extension length
        at = HEADER_LENGTH;
        headerWritten = true;
      }
      const rows = Math.min(iins.length - next, Math.floor((into.length - at) / row.length));
      encodeRows(into.subarray(at, at + rows * row.length), row, digitsAt, iins, next);
      next += rows;
      at += rows * row.length;
      if (next === iins.length && !trailerWritten && into.length - at >= TRAILER_LENGTH) {
        into[at] = 0xff; // int16 -1: no more rows
        into[at + 1] = 0xff;
        at += TRAILER_LENGTH;
        trailerWritten = true;
      }
      return at;
    },
  };
}

/**
 * Every row is the same but for its 12 IIN digits, so the template is laid down over `out` by doubling copies
 * and only the digits of rows `from`, `from + 1`, ... are written per row.
 */
function encodeRows(
  out: Uint8Array,
  row: Uint8Array,
  digitsAt: number,
  iins: ArrayLike<number>,
  from: number,
) {
  const n = out.length / row.length;
  if (n === 0) return;
  out.set(row, 0);
  for (let filled = row.length; filled < out.length; filled *= 2) {
    out.copyWithin(filled, 0, Math.min(out.length, 2 * filled) - filled);
  }
  let at = digitsAt;
  let bad = -1;
  const to = from + n;
  for (let i = from; i < to; i++, at += row.length) {
    const iin = iins[i]!;
    // Checked in one test and reported after the loop: a throw inside it made the loop several times slower.
    if (!(iin >= 0 && iin < 1e12 && Math.floor(iin) === iin)) {
      bad = i;
      break;
    }
    // Two 6-digit halves in integer arithmetic; zero-padded to 12 characters.
    let high = Math.floor(iin / 1e6);
    let low = iin - high * 1e6;
    for (let d = 11; d >= 6; d--) {
      const q = (low / 10) | 0;
      out[at + d] = 48 + low - q * 10;
      low = q;
    }
    for (let d = 5; d >= 0; d--) {
      const q = (high / 10) | 0;
      out[at + d] = 48 + high - q * 10;
      high = q;
    }
  }
  if (bad >= 0) throw new RangeError(`not an IIN: ${iins[bad]}`);
}

/** One row with its IIN digits left as zeros: the bytes every row shares. */
function rowTemplate(code: Uint8Array, days: readonly (number | null)[]): Uint8Array {
  const length =
    2 + (4 + code.length) + (4 + 12) + days.reduce<number>((n, d) => n + 4 + (d === null ? 0 : 4), 0);
  const row = new Uint8Array(length);
  const view = new DataView(row.buffer);
  view.setInt16(0, 2 + days.length);
  view.setInt32(2, code.length);
  row.set(code, 6);
  let at = 6 + code.length;
  view.setInt32(at, 12);
  at += 4 + 12;
  for (const day of days) {
    if (day === null) {
      view.setInt32(at, -1);
      at += 4;
    } else {
      view.setInt32(at, 4);
      view.setInt32(at + 4, day);
      at += 8;
    }
  }
  return row;
}

// Parses a whole uploaded IIN column in one pass into numeric form, with a report of every row not taken.
// Hot path: a 12-character string of digits; it costs char-code arithmetic and no allocation. Everything else goes
// through validateIin, which builds the messages (rejected rows are expected to be few).
import { findDuplicateValues } from './duplicate-values';
import {
  IIN_NON_DIGIT,
  type IinRejectReason,
  type IinWarning,
  type IinWarningCode,
  iinOdditiesOf,
  oddityWarnings,
  parseIinDigits,
  surelyOrdinaryIin,
  validateIin,
} from './iin';

export interface IinColumnRejection {
  /** Row number as the user sees it (see `firstRowNumber`). */
  row: number;
  /** The value as given (numbers printed, empty cells as ''). */
  value: string;
  reason: IinRejectReason;
  message: string;
}

export interface IinColumnWarning {
  row: number;
  value: string;
  code: IinWarningCode;
  message: string;
}

export interface IinColumnReport {
  /** Accepted IINs, each once, in input order (first occurrence). */
  iins: Float64Array;
  /** Rows read: accepted + rejected.length. */
  total: number;
  /** Unique accepted IINs (= iins.length). */
  accepted: number;
  /** Rows dropped because their IIN appeared on an earlier row (also listed in `rejected`). */
  duplicates: number;
  /** Every row not taken, in row order, duplicates included: nothing is dropped silently. */
  rejected: IinColumnRejection[];
  /** Accepted rows with convention oddities, at most `maxWarnings` of them; `warningCounts` has the totals. */
  warnings: IinColumnWarning[];
  warningCounts: Record<IinWarningCode, number>;
}

export interface ParseIinColumnOptions {
  /** Row number of values[0] (default 1); 2 for a CSV whose first line is a header. */
  firstRowNumber?: number;
  /** Cap on listed warnings, so a file full of odd dates cannot fill memory (default 10 000). */
  maxWarnings?: number;
}

type Cell = string | number | null | undefined;

/** Longest cell read as a possible IIN: anything longer is a rejected row whose value the report cuts. */
export const MAX_IIN_CELL_LENGTH = 64;

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return text.length > MAX_IIN_CELL_LENGTH ? `${text.slice(0, MAX_IIN_CELL_LENGTH)}…` : text;
}

export function parseIinColumn(
  values: ArrayLike<Cell>,
  options: ParseIinColumnOptions = {},
): IinColumnReport {
  const firstRow = options.firstRowNumber ?? 1;
  const maxWarnings = options.maxWarnings ?? 10_000;
  const total = values.length;
  const out = new Float64Array(total);
  let count = 0;
  const rejected: IinColumnRejection[] = [];
  let warnings = new WarningCollector(firstRow, maxWarnings);
  for (let i = 0; i < total; i++) {
    const cell = values[i];
    if (typeof cell === 'string' && cell.length === 12) {
      const iin = parseIinDigits(cell, 0);
      if (iin >= 0) {
        out[count++] = iin;
        if (!surelyOrdinaryIin(iin)) {
          const flags = iinOdditiesOf(iin);
          if (flags !== 0) warnings.add(i, cell, oddityWarnings(flags, cell));
        }
        continue;
      }
      // A non-digit may be a space to drop: the general path below decides.
      if (iin !== IIN_NON_DIGIT) {
        const result = validateIin(cell);
        if (!result.ok)
          rejected.push({ row: firstRow + i, value: cell, reason: result.reason, message: result.message });
        continue;
      }
    }
    if (cell === null || cell === undefined) {
      rejected.push({ row: firstRow + i, value: '', reason: 'empty', message: 'The cell is empty' });
      continue;
    }
    if (typeof cell === 'string' && cell.length > MAX_IIN_CELL_LENGTH) {
      rejected.push({
        row: firstRow + i,
        value: cellText(cell),
        reason: 'length',
        message: `The cell holds ${cell.length.toLocaleString('en')} characters; an IIN has 12`,
      });
      continue;
    }
    const result = validateIin(cell);
    if (result.ok) {
      out[count++] = result.iin;
      if (result.warnings.length > 0) warnings.add(i, cell, result.warnings);
    } else {
      rejected.push({
        row: firstRow + i,
        value: cellText(cell),
        reason: result.reason,
        message: result.message,
      });
    }
  }

  const duplicateValues = findDuplicateValues(out.subarray(0, count));
  if (duplicateValues === null) {
    return {
      iins: trimmed(out, count),
      total,
      accepted: count,
      duplicates: 0,
      rejected,
      warnings: warnings.listed,
      warningCounts: warnings.counts,
    };
  }

  // Rare path: keep each duplicated IIN's first row, report the later ones. Accepted entry k came from the k-th row
  // that was not rejected, so walking the rows beside the (row-ordered) rejections recovers each one's row.
  // Warnings are collected again on the way, so that a repeated row's warnings do not count twice.
  warnings = new WarningCollector(firstRow, maxWarnings);
  const firstRowOf = new Map<number, number>();
  const duplicateRows: IinColumnRejection[] = [];
  let kept = 0;
  let nextRejected = 0;
  let index = 0;
  for (let k = 0; k < count; k++, index++) {
    while (nextRejected < rejected.length && rejected[nextRejected]?.row === firstRow + index) {
      nextRejected++;
      index++;
    }
    const iin = out[k]!;
    const cell = values[index];
    if (duplicateValues.has(iin)) {
      const first = firstRowOf.get(iin);
      if (first !== undefined) {
        duplicateRows.push({
          row: firstRow + index,
          value: cellText(cell),
          reason: 'duplicate',
          message: `IIN ${String(iin).padStart(12, '0')} already appears on row ${first}`,
        });
        continue;
      }
      firstRowOf.set(iin, firstRow + index);
    }
    out[kept++] = iin;
    if (!(typeof cell === 'string' && cell.length === 12 && surelyOrdinaryIin(iin))) {
      const result = validateIin(cell ?? '');
      if (result.ok && result.warnings.length > 0) warnings.add(index, cell, result.warnings);
    }
  }
  return {
    iins: trimmed(out, kept),
    total,
    accepted: kept,
    duplicates: duplicateRows.length,
    rejected: rejected.concat(duplicateRows).sort((a, b) => a.row - b.row),
    warnings: warnings.listed,
    warningCounts: warnings.counts,
  };
}

/**
 * The first `length` entries. A view when little would be wasted: a copy of 10 million doubles is another 80 MB
 * allocation, and with millions of strings alive each large allocation can cost a full GC.
 */
function trimmed(vector: Float64Array, length: number): Float64Array {
  if (length === vector.length) return vector;
  return length >= vector.length * 0.9 ? vector.subarray(0, length) : vector.slice(0, length);
}

/** Warnings in row order, listed up to a cap and counted in full. */
class WarningCollector {
  readonly listed: IinColumnWarning[] = [];
  readonly counts: Record<IinWarningCode, number> = {
    'IIN.IMPOSSIBLE_DATE': 0,
    'IIN.UNKNOWN_CENTURY': 0,
    'IIN.LEADING_ZERO_RESTORED': 0,
  };

  constructor(
    private readonly firstRow: number,
    private readonly maxListed: number,
  ) {}

  add(index: number, cell: Cell, warnings: IinWarning[]): void {
    for (const warning of warnings) {
      this.counts[warning.code]++;
      if (this.listed.length < this.maxListed) {
        this.listed.push({ row: this.firstRow + index, value: cellText(cell), ...warning });
      }
    }
  }
}

import { createHash } from 'node:crypto';
import {
  type IinColumnRejection,
  type IinColumnWarning,
  type IinWarningCode,
  parseIinColumn,
  sortUnique,
} from '@campaigns/core';
// The workers' entry only: the body worker loads this file and must not load the whole of @campaigns/db.
import { sharedVector } from '@campaigns/db/workers';
import { z } from 'zod';

// An IIN list as a request carries it (`user_iins`). Over HTTP the body worker (http/body-worker.ts) parses
// the list off the API's thread and hands over a ParsedIinList; in-process callers (createCaller, tools) send
// the array, which is parsed here. Both end in the same IinListReport, so both answer the same.

/** Largest IIN list one request may carry: Excel's row limit. */
export const maxIinsPerRequest = 1_048_576;

/** Rejections listed in a report (every one is counted). */
const maxListedRejections = 10_000;
/** Invalid rows (not duplicates) listed in an error body. */
export const maxListedInvalid = 1000;
const maxListedWarnings = 1000;

/** The parse of one IIN list, bounded: a million bad rows are counted, the first few thousand listed. */
export interface IinListReport {
  /** Distinct accepted IINs, sorted, on shared memory (workers/shared-vector.ts in @campaigns/db). */
  sorted: Float64Array;
  total: number;
  accepted: number;
  duplicates: number;
  /** The first rejected rows (row numbers from 0), duplicates included; `rejectedCount` counts them all. */
  rejected: IinColumnRejection[];
  rejectedCount: number;
  /** The first rejected rows that are not duplicates; `invalidCount` counts them all. */
  invalid: IinColumnRejection[];
  invalidCount: number;
  warnings: IinColumnWarning[];
  warningCounts: Record<IinWarningCode, number>;
  /** SHA-256 of the list as JSON: what an idempotency key compares. */
  sha256: string;
}

/** A list parsed by the body worker; the schemas below take it where they take an array. */
export class ParsedIinList {
  constructor(readonly report: IinListReport) {}
}

export type IinListInput = ReadonlyArray<string | number> | ParsedIinList;

/** The list as sent: strings or numbers, at most maxIinsPerRequest of them. */
export const iinArraySchema = z.array(z.union([z.string(), z.number()])).max(maxIinsPerRequest);

/** `user_iins` in every input schema. */
export const iinListSchema = z.union([iinArraySchema, z.instanceof(ParsedIinList)]);

/** Parses a list with core's column parser (row numbers from 0) and keeps a bounded report. */
export function reportIinList(values: ReadonlyArray<string | number>): IinListReport {
  const report = parseIinColumn(values, { firstRowNumber: 0, maxWarnings: maxListedWarnings });
  const invalid = report.rejected.filter((row) => row.reason !== 'duplicate');
  return {
    // Shared memory: the API thread posts it to the audience and codec workers without copying 8 MB.
    sorted: sharedVector(sortUnique(report.iins)),
    total: report.total,
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: report.rejected.slice(0, maxListedRejections),
    rejectedCount: report.rejected.length,
    invalid: invalid.slice(0, maxListedInvalid),
    invalidCount: invalid.length,
    warnings: report.warnings,
    warningCounts: report.warningCounts,
    sha256: listSha256(values),
  };
}

function listSha256(values: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** The report of a list in either form. */
export function iinListReport(list: IinListInput): IinListReport {
  return list instanceof ParsedIinList ? list.report : reportIinList(list);
}

/** What an idempotency fingerprint keeps of a list: its hash, not a million strings. */
export function iinListFingerprint(list: IinListInput | undefined): string | undefined {
  if (list === undefined) return undefined;
  return list instanceof ParsedIinList ? list.report.sha256 : listSha256(list);
}

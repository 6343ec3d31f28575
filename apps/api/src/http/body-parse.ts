// What the body worker does with a large body, off the API's thread: JSON.parse, the NUL/depth guard, and the
// heavy fields of each call's input: `user_iins` parsed into its IIN report (sorted, distinct, every bad row
// counted), `content_base64` checked and decoded. A 1M-IIN create held the event loop ~360 ms doing this there.
import { type InputIssue, inputIssuesOf } from '@campaigns/core';
import { z } from 'zod';
import type { ApiErrorCode } from '../errors';
import { findInputIssue } from '../input-guard';
import { type PreparsedPartData, preparsedMarker } from '../preparsed-input';
import { iinArraySchema, reportIinList } from '../services/iin-list';

export type BodyParse =
  | { ok: true; body: unknown; parts: PreparsedPartData[] }
  /** `code` null: the parse itself failed (a bug, not the input). */
  | { ok: false; code: ApiErrorCode | null; message: string; issues?: InputIssue[] };

const base64 = z.base64();

class RefusedField extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(`${issues[0]?.field}: ${issues[0]?.message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A call's input with its heavy fields parsed into `parts` and replaced by markers. */
function extractHeavyFields(input: unknown, parts: PreparsedPartData[]): unknown {
  if (!isPlainObject(input)) return input;
  const out = { ...input };
  if (Array.isArray(out.user_iins)) {
    const list = iinArraySchema.safeParse(out.user_iins);
    if (!list.success) {
      throw new RefusedField(inputIssuesOf(list.error, { prefix: 'user_iins' }).slice(0, 20));
    }
    parts.push({ kind: 'iins', report: reportIinList(list.data) });
    out.user_iins = preparsedMarker(parts.length - 1);
  }
  if (typeof out.content_base64 === 'string') {
    const text = base64.safeParse(out.content_base64);
    if (!text.success) {
      throw new RefusedField(inputIssuesOf(text.error, { prefix: 'content_base64' }));
    }
    // A copy with its own buffer, so it can be transferred (small Buffers share a pool).
    parts.push({ kind: 'bytes', bytes: new Uint8Array(Buffer.from(text.data, 'base64')) });
    out.content_base64 = preparsedMarker(parts.length - 1);
  }
  return out;
}

/** Parses a body's text; `batch`: a tRPC batch (`{"0": input, "1": input}`), each value one call's input. */
export function parseBody(text: string, batch: boolean): BodyParse {
  if (text.trim() === '') return { ok: true, body: undefined, parts: [] };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, code: 'REQUEST.INVALID_JSON', message: 'The request body is not valid JSON.' };
  }
  const issue = findInputIssue(body);
  if (issue) {
    return {
      ok: false,
      code: 'REQUEST.INVALID',
      message: `${issue.field}: ${issue.message}`,
      issues: [issue],
    };
  }
  const parts: PreparsedPartData[] = [];
  try {
    const extracted =
      batch && isPlainObject(body)
        ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, extractHeavyFields(v, parts)]))
        : extractHeavyFields(body, parts);
    return { ok: true, body: extracted, parts };
  } catch (error) {
    if (!(error instanceof RefusedField)) throw error;
    return { ok: false, code: 'REQUEST.INVALID', message: error.message, issues: error.issues };
  }
}

/** The buffers a parse hands over instead of copying. */
export function transferablesOf(parse: BodyParse): ArrayBuffer[] {
  if (!parse.ok) return [];
  // An IIN list is on shared memory (nothing to hand over); a file's bytes are handed over.
  const buffers = parse.parts.flatMap((part) => (part.kind === 'iins' ? [] : [part.bytes.buffer]));
  return [...new Set(buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer))];
}

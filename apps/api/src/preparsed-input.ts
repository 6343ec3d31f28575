// Parts of a request body that the body worker (http/body-worker.ts) parsed off the API's thread: an IIN list
// (`user_iins`) as its report, an uploaded file (`content_base64`) as its bytes. The body handed on to tRPC or
// to a REST route carries a small marker in their place; the procedure's input gets the part itself. Markers
// resolve only against the parts of the same request, so a client that sends one gets nothing but a 400.
import { ParsedIinList } from './services/iin-list';

export type PreparsedPart = ParsedIinList | Uint8Array;

/** A part as the worker sends it across the thread boundary (classes do not survive structured clone). */
export type PreparsedPartData =
  | { kind: 'iins'; report: ParsedIinList['report'] }
  | { kind: 'bytes'; bytes: Uint8Array };

export interface PreparsedBody {
  /** The JSON body (undefined when empty), heavy fields replaced by markers. */
  body: unknown;
  parts: PreparsedPart[];
}

const markerKey = '$preparsed';

export function preparsedMarker(index: number): Record<string, number> {
  return { [markerKey]: index };
}

export function partFromData(data: PreparsedPartData): PreparsedPart {
  return data.kind === 'iins' ? new ParsedIinList(data.report) : data.bytes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `input` with each top-level marker replaced by its part; everything else as it was. */
export function withPreparsedParts(input: unknown, parts: readonly PreparsedPart[]): unknown {
  if (!isPlainObject(input) || parts.length === 0) return input;
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(input)) {
    if (!isPlainObject(value) || Object.keys(value).length !== 1) continue;
    const index = value[markerKey];
    if (typeof index !== 'number') continue;
    const part = parts[index];
    if (part === undefined) continue;
    out ??= { ...input };
    out[key] = part;
  }
  return out ?? input;
}

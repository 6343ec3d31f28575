// Checks every request input (tRPC input, REST body, query and path parameters) before any schema or service
// sees it. Two kinds of input failed deep inside with a 500: a NUL character, which PostgreSQL cannot store in
// text (the campaign code was already reserved by then), and nesting so deep that a recursive step (zod,
// JSON.stringify) overflowed the stack. Both are refused here as a 400 naming the field.
import type { InputIssue } from '@campaigns/core';
import { ApiError } from './errors';

/** Deeper nesting than any input of ours needs (characteristic_json included) is refused. */
export const maxInputDepth = 64;

type Path = ReadonlyArray<string | number>;

const fieldOf = (path: Path): string => (path.length === 0 ? '(body)' : path.join('.'));

function hasNul(text: string): boolean {
  return text.includes('\u0000');
}

/**
 * The first problem in `value`, or null. Iterative (an explicit stack), so it cannot overflow on the very input
 * it is there to refuse; strings inside arrays are checked in place, so a million-IIN list costs one loop.
 */
export function findInputIssue(value: unknown): InputIssue | null {
  const stack: Array<{ value: unknown; path: Path }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (hasNul(current)) return nulIssue(path);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxInputDepth) {
      return {
        field: fieldOf(path),
        message: `nested deeper than ${maxInputDepth} levels`,
        rule: 'too_deep',
        limit: maxInputDepth,
      };
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i];
        if (typeof item === 'string') {
          if (hasNul(item)) return nulIssue([...path, i]);
        } else if (item !== null && typeof item === 'object') stack.push({ value: item, path: [...path, i] });
      }
      continue;
    }
    for (const [key, item] of Object.entries(current)) {
      if (hasNul(key))
        return {
          field: fieldOf(path),
          message: 'a key contains a NUL character (\\u0000)',
          rule: 'nul_character',
        };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

function nulIssue(path: Path): InputIssue {
  return {
    field: fieldOf(path),
    message: 'contains a NUL character (\\u0000), which no field accepts',
    rule: 'nul_character',
  };
}

/** Throws the 400 for the first problem in `value` (see findInputIssue). */
export function assertSafeInput(value: unknown): void {
  const issue = findInputIssue(value);
  if (issue) throw new ApiError('REQUEST.INVALID', `${issue.field}: ${issue.message}`, { issues: [issue] });
}

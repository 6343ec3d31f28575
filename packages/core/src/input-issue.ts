// A problem with one field of an input, in a shape a form can word in its own language: the field's path, the
// rule it breaks and that rule's limit or expected value. The API answers every refusal of bad input with a
// list of these (tRPC `data.issues`, REST `issues`), the admin form builds the same ones from the same schemas,
// and `message` is the English text for tools and logs only.
import { z } from 'zod';

/** What a problem breaks. The first group are zod's own checks; the rest are the domain's rules. */
export const INPUT_RULES = [
  /** Missing (undefined or null). */
  'required',
  /** The wrong kind of value: `expected` names the kind wanted ('number', 'string', 'array', ...). */
  'invalid_type',
  /** A number (or date) over `limit`; `inclusive: false` when the limit itself is refused too. */
  'too_big',
  /** A number (or date) under `limit`; `inclusive: false` when the limit itself is refused too. */
  'too_small',
  /** A text longer than `limit` characters. */
  'too_long',
  /** A text shorter than `limit` characters (at least 2; shorter than 1 is `empty`). */
  'too_short',
  /** A list of more than `limit` entries. */
  'too_many',
  /** A list of fewer than `limit` entries (at least 2; fewer than 1 is `empty`). */
  'too_few',
  /** An empty text or list where something is needed. */
  'empty',
  /** Not of the format `expected` names ('uuid', 'datetime', 'email', 'regex', ...). */
  'invalid_format',
  /** Not one of `allowed`. */
  'invalid_value',
  /** Not a multiple of `limit`. */
  'not_multiple_of',
  /** A key the object does not have. */
  'unknown_field',
  /** Nested deeper than `limit` levels. */
  'too_deep',
  /** Holds a NUL character, which no field accepts. */
  'nul_character',
  /** A text over `limit` bytes in UTF-8 (an Oracle VARCHAR2 column). */
  'bytes',
  'date_format',
  'date_not_real',
  'date_order',
  'out_date_range',
  'positive_integer',
  'channel',
  'json',
  /** An SMS text needing more than `limit` parts. */
  'sms_parts',
  /** Not an IIN: `expected` is the reason code (length, non_digit, check_digit, ...). */
  'iin',
  /** Already in use (a username). */
  'taken',
  /** A password too easy to guess: `expected` is the reason (zxcvbn's warning key, or 'spaces'). */
  'weak_password',
  /** Anything else: `message` says what. */
  'invalid',
] as const;
export type InputRule = (typeof INPUT_RULES)[number];

/** One refused field: the shape of every `issues` entry the API answers (tRPC and REST), documented here. */
export const inputIssueSchema = z
  .object({
    field: z
      .string()
      .describe(
        "Dotted path of the field (`metadata.date_end`, `control_group.share`, `user_iins[12]`); '(body)' for the whole body.",
      ),
    message: z
      .string()
      .describe('Why, in English, for tools and logs; a UI words `rule` in its own language.'),
    rule: z.enum(INPUT_RULES).describe('The rule the value breaks.'),
    limit: z
      .number()
      .optional()
      .describe(
        "The bound broken, in the field's own unit: the number itself (too_big, too_small), characters (too_long, too_short), entries (too_many, too_few), bytes, SMS parts, nesting levels.",
      ),
    inclusive: z
      .boolean()
      .optional()
      .describe(
        'too_big / too_small: false when the bound itself is refused too (< limit rather than <= limit).',
      ),
    expected: z
      .string()
      .optional()
      .describe(
        'invalid_type: the kind of value wanted (number, string, array, object, boolean); invalid_format: the format (uuid, datetime, regex, ...); iin: the reason code (length, non_digit, check_digit, ...); weak_password: why.',
      ),
    allowed: z.array(z.string()).optional().describe('invalid_value: the values allowed.'),
  })
  .strict();
export type InputIssue = z.output<typeof inputIssueSchema>;

const isRule = (value: unknown): value is InputRule =>
  typeof value === 'string' && (INPUT_RULES as readonly string[]).includes(value);

type Bounded = { origin?: string; inclusive?: boolean };
const isList = (origin: string | undefined) => origin === 'array' || origin === 'set';

/** The rule a zod issue breaks, with its limit or expected value: ours from `params.rule`, zod's from its code. */
export function ruleOfZodIssue(issue: z.core.$ZodIssue): Omit<InputIssue, 'field' | 'message'> {
  const params = (issue as { params?: { rule?: unknown; limit?: unknown } }).params;
  if (isRule(params?.rule)) {
    return { rule: params.rule, ...(typeof params.limit === 'number' ? { limit: params.limit } : {}) };
  }
  const exclusive = (bounded: Bounded) => (bounded.inclusive === false ? { inclusive: false } : {});
  switch (issue.code) {
    case 'too_big': {
      const limit = Number(issue.maximum);
      if (issue.origin === 'string') return { rule: 'too_long', limit };
      if (isList(issue.origin)) return { rule: 'too_many', limit };
      return { rule: 'too_big', limit, ...exclusive(issue) };
    }
    case 'too_small': {
      const limit = Number(issue.minimum);
      if (issue.origin === 'string' || isList(issue.origin)) {
        if (limit <= 1) return { rule: 'empty' };
        return { rule: issue.origin === 'string' ? 'too_short' : 'too_few', limit };
      }
      return { rule: 'too_small', limit, ...exclusive(issue) };
    }
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { rule: 'required' };
      return { rule: 'invalid_type', expected: String(issue.expected) };
    case 'invalid_union':
      return { rule: issue.input === undefined || issue.input === null ? 'required' : 'invalid' };
    case 'invalid_format':
      return { rule: 'invalid_format', expected: issue.format };
    case 'invalid_value':
      return { rule: 'invalid_value', allowed: issue.values.map(String) };
    case 'not_multiple_of':
      return { rule: 'not_multiple_of', limit: Number(issue.divisor) };
    default:
      return { rule: 'invalid' };
  }
}

/**
 * One issue per problem of a zod error, every one of them: an unknown key becomes an entry of its own (named by
 * `unknownKeyMessage` when given). `prefix` puts the paths under a parent field (`metadata`).
 */
export function inputIssuesOf(
  error: z.ZodError,
  options: { prefix?: string; unknownKeyMessage?: (key: string) => string } = {},
): InputIssue[] {
  const join = (parts: string[]) => [options.prefix ?? '', ...parts].filter((p) => p !== '').join('.');
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          field: join([...path, key]),
          message: options.unknownKeyMessage?.(key) ?? `${key} is not a known field`,
          rule: 'unknown_field',
        });
      }
    } else {
      issues.push({ field: join(path), message: issue.message, ...ruleOfZodIssue(issue) });
    }
  }
  return issues;
}

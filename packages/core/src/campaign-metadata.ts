// Campaign metadata as the seed's POST /campaigns/create sends it (same field names), validated with zod so the API
// and the admin form share one rule. Every error names its field and says what is wrong; all of them are reported
// at once, cross-field rules included, so a marketer can fix a form in one go.
import { z } from 'zod';
import type { CampaignType } from './campaign-type';
import { checkChannelTexts, normaliseChannel } from './channel-text';
import { DomainError } from './errors';
import { type InputIssue, inputIssuesOf } from './input-issue';

/**
 * Longest text per field, in characters. Our choice, generous for a form, and meant to match the column widths of
 * the metadata tables' DDL (persistence should use these numbers), so Oracle never answers ORA-12899 instead.
 */
export const METADATA_TEXT_LIMITS = {
  campaign_name: 255,
  campaign_desc: 4000,
  stream: 100,
  sub_stream: 100,
  target_action: 255,
  campaign_type: 100,
  campaign_text: 4000,
  campaign_text_kz: 4000,
  short_desc: 500,
  bonus: 255,
  characteristic_json: 32_000,
} as const;

type TextField = keyof typeof METADATA_TEXT_LIMITS;

/**
 * Oracle's VARCHAR2 holds at most 4000 bytes (MAX_STRING_SIZE=STANDARD) whatever its CHAR width, and a Cyrillic or
 * Kazakh letter takes 2 bytes in AL32UTF8 (an emoji 4): a 4000-character Russian text would pass a character
 * count and fail the deploy with ORA-12899 after approval, so the byte size is checked here too.
 */
export const ORACLE_VARCHAR2_MAX_BYTES = 4000;
const utf8 = new TextEncoder();

function fitsVarchar2(field: TextField) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (METADATA_TEXT_LIMITS[field] <= ORACLE_VARCHAR2_MAX_BYTES / 4) return; // even 4-byte characters fit
    const bytes = utf8.encode(value).length;
    if (bytes > ORACLE_VARCHAR2_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `${field} takes ${bytes} bytes in UTF-8; the target column holds at most ${ORACLE_VARCHAR2_MAX_BYTES} (about 2000 Cyrillic or Kazakh letters)`,
        params: { rule: 'bytes', limit: ORACLE_VARCHAR2_MAX_BYTES },
      });
    }
  };
}

const missing = (input: unknown) => input === undefined || input === null;

function requiredText(field: TextField) {
  const max = METADATA_TEXT_LIMITS[field];
  return z
    .string({ error: (issue) => (missing(issue.input) ? `${field} is required` : `${field} must be text`) })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine(fitsVarchar2(field));
}

/** Optional text: absent, null and '' all become null, so the store writes NULL for "not given". */
function optionalText(field: TextField) {
  const max = METADATA_TEXT_LIMITS[field];
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, `${field} must be at most ${max} characters`)
    .superRefine(fitsVarchar2(field))
    .nullish()
    .transform((value) => (value === undefined || value === null || value === '' ? null : value));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isoDate(field: 'date_start' | 'date_end' | 'out_date') {
  return z
    .string({
      error: (issue) => (missing(issue.input) ? `${field} is required` : `${field} must be a date text`),
    })
    .trim()
    .superRefine((text, ctx) => {
      // One message per bad date; no `abort`, which would also stop the cross-field rules from running.
      if (!ISO_DATE.test(text))
        ctx.addIssue({
          code: 'custom',
          message: `${field} must be a date written YYYY-MM-DD, not ${JSON.stringify(text)}`,
          params: { rule: text === '' ? 'required' : 'date_format' },
        });
      else if (!isRealDate(text))
        ctx.addIssue({
          code: 'custom',
          message: `${field} ${JSON.stringify(text)} is not a real calendar date`,
          params: { rule: 'date_not_real' },
        });
    });
}

/** camp_cnt: a positive whole number, sent by the seed as a string ("50000"); normalised to a number. */
const campCountSchema = z
  .union([z.number(), z.string()], {
    error: (issue) => (missing(issue.input) ? 'camp_cnt is required' : 'camp_cnt must be a number'),
  })
  .transform((value, ctx) => {
    const text = typeof value === 'string' ? value.trim() : null;
    const count = text === null ? value : /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(count) || (count as number) < 1) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `camp_cnt must be a positive whole number, not ${JSON.stringify(value)}`,
        params: { rule: 'positive_integer' },
      });
      return z.NEVER;
    }
    return count as number;
  });

const channelSchema = z
  .string({ error: (issue) => (missing(issue.input) ? 'channel is required' : 'channel must be text') })
  .transform((value, ctx) => {
    const channel = normaliseChannel(value);
    if (channel === null) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `channel must be Push, POP-UP or SMS, not ${JSON.stringify(value)}`,
        params: { rule: 'channel' },
      });
      return z.NEVER;
    }
    return channel;
  });

/** characteristic_json: JSON text, or an object / array that is stored as its JSON text. */
const characteristicJsonSchema = z
  .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
    error: 'characteristic_json must be JSON text or a JSON object',
  })
  .nullish()
  .transform((value, ctx) => {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') return JSON.stringify(value);
    const text = value.trim();
    if (text === '') return null;
    try {
      JSON.parse(text);
    } catch (error) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `characteristic_json is not valid JSON: ${(error as Error).message}`,
        params: { rule: 'json' },
      });
      return z.NEVER;
    }
    if (text.length > METADATA_TEXT_LIMITS.characteristic_json) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `characteristic_json must be at most ${METADATA_TEXT_LIMITS.characteristic_json} characters`,
        params: { rule: 'too_long', limit: METADATA_TEXT_LIMITS.characteristic_json },
      });
      return z.NEVER;
    }
    return text;
  });

const rb1Shape = {
  campaign_name: requiredText('campaign_name'),
  campaign_desc: optionalText('campaign_desc'),
  stream: requiredText('stream'),
  sub_stream: optionalText('sub_stream'),
  target_action: optionalText('target_action'),
  channel: channelSchema,
  /** The seed's free-text kind of campaign ("promotion"), not RB1/RB3. */
  campaign_type: optionalText('campaign_type'),
  campaign_text: requiredText('campaign_text'),
  campaign_text_kz: requiredText('campaign_text_kz'),
  short_desc: optionalText('short_desc'),
  date_start: isoDate('date_start'),
  date_end: isoDate('date_end'),
  out_date: isoDate('out_date'),
  camp_cnt: campCountSchema,
};

const rb3Shape = {
  ...rb1Shape,
  bonus: z
    .union([z.string(), z.number()], {
      error: (issue) => (missing(issue.input) ? 'bonus is required' : 'bonus must be text or a number'),
    })
    .transform((value) => String(value).trim())
    .pipe(
      z
        .string()
        .min(1, 'bonus must not be empty')
        .max(METADATA_TEXT_LIMITS.bonus, `bonus must be at most ${METADATA_TEXT_LIMITS.bonus} characters`),
    ),
  characteristic_json: characteristicJsonSchema,
};

/** Runs a cross-field rule even when other fields failed, as long as the fields it reads are valid. */
function whenValid(fields: readonly string[]) {
  return {
    when: (payload: { value: unknown; issues: ReadonlyArray<{ path?: ReadonlyArray<PropertyKey> }> }) =>
      typeof payload.value === 'object' &&
      payload.value !== null &&
      !Array.isArray(payload.value) &&
      !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))),
  };
}

interface DatedMetadata {
  date_start: string;
  date_end: string;
  out_date: string;
}

function checkDates(value: DatedMetadata, ctx: z.RefinementCtx): void {
  const { date_start, date_end, out_date } = value;
  if (date_end < date_start) {
    ctx.addIssue({
      code: 'custom',
      path: ['date_end'],
      message: `date_end (${date_end}) is before date_start (${date_start})`,
      params: { rule: 'date_order' },
    });
    return;
  }
  if (out_date < date_start || out_date > date_end) {
    ctx.addIssue({
      code: 'custom',
      path: ['out_date'],
      message: `out_date (${out_date}) must be within the campaign, from ${date_start} to ${date_end}`,
      params: { rule: 'out_date_range' },
    });
  }
}

interface TextedMetadata {
  channel: string;
  campaign_text: string;
  campaign_text_kz: string;
}

function checkTexts(value: TextedMetadata, ctx: z.RefinementCtx): void {
  for (const problem of checkChannelTexts(value)) {
    // An unknown channel and empty texts are reported by the fields' own schemas.
    if (problem.code === 'CHANNEL.UNKNOWN' || problem.code === 'TEXT.EMPTY') continue;
    ctx.addIssue({
      code: 'custom',
      path: [problem.field],
      message: `${problem.field}: ${problem.message}`,
      params: {
        rule: problem.code === 'SMS.TOO_MANY_SEGMENTS' ? 'sms_parts' : 'too_long',
        ...(problem.limit === null ? {} : { limit: problem.limit }),
      },
    });
  }
}

const DATE_FIELDS = ['date_start', 'date_end', 'out_date'] as const;
const TEXT_FIELDS = ['channel', 'campaign_text', 'campaign_text_kz'] as const;

// Strict objects: an unknown key is an error naming it. xls_ow_id in particular is assigned by the system.
const objectError = {
  error: (issue: { code?: string }) =>
    issue.code === 'invalid_type' ? 'The metadata must be a JSON object' : undefined,
};

export const rb1MetadataSchema = z
  .strictObject(rb1Shape, objectError)
  .superRefine(checkDates, whenValid(DATE_FIELDS))
  .superRefine(checkTexts, whenValid(TEXT_FIELDS));

export const rb3MetadataSchema = z
  .strictObject(rb3Shape, objectError)
  .superRefine(checkDates, whenValid(DATE_FIELDS))
  .superRefine(checkTexts, whenValid(TEXT_FIELDS));

export type Rb1Metadata = z.output<typeof rb1MetadataSchema>;
export type Rb3Metadata = z.output<typeof rb3MetadataSchema>;
export type Rb1MetadataInput = z.input<typeof rb1MetadataSchema>;
export type Rb3MetadataInput = z.input<typeof rb3MetadataSchema>;
export type CampaignMetadata = Rb1Metadata | Rb3Metadata;

export function metadataSchemaFor(type: CampaignType): typeof rb1MetadataSchema | typeof rb3MetadataSchema {
  return type === 'RB1' ? rb1MetadataSchema : rb3MetadataSchema;
}

const SYSTEM_ASSIGNED: Readonly<Record<string, string>> = {
  xls_ow_id: 'xls_ow_id is assigned by the system when an RB3 campaign is created; do not send it',
  campaign_code: 'campaign_code is assigned by the system; do not send it in the metadata',
};

/** Every problem of the metadata as an input issue (the rule each breaks, with its limit); unknown keys named. */
export function formatMetadataIssues(error: z.ZodError): InputIssue[] {
  return inputIssuesOf(error, {
    // Own keys only: `constructor` or `toString` sent as a field must not find Object.prototype's.
    unknownKeyMessage: (key) =>
      Object.hasOwn(SYSTEM_ASSIGNED, key) ? SYSTEM_ASSIGNED[key]! : `${key} is not a metadata field`,
  });
}

/** Parses metadata for a campaign type, or throws CAMPAIGN.INVALID_METADATA with every issue in `details.issues`. */
export function parseCampaignMetadata(type: 'RB1', input: unknown): Rb1Metadata;
export function parseCampaignMetadata(type: 'RB3', input: unknown): Rb3Metadata;
export function parseCampaignMetadata(type: CampaignType, input: unknown): CampaignMetadata;
export function parseCampaignMetadata(type: CampaignType, input: unknown): CampaignMetadata {
  const result = metadataSchemaFor(type).safeParse(input);
  if (result.success) return result.data;
  const issues = formatMetadataIssues(result.error);
  const summary = issues.map((issue) => issue.message).join('; ');
  throw new DomainError(
    'CAMPAIGN.INVALID_METADATA',
    `The ${type} campaign metadata is not valid: ${summary}`,
    {
      issues,
    },
  );
}

import { describe, expect, it } from 'vitest';
import {
  campaignTypeSchema,
  formatMetadataIssues,
  isDomainError,
  parseCampaignMetadata,
  rb1MetadataSchema,
  rb3MetadataSchema,
} from './index';
import { seedExampleMetadata } from './testing';

const seedRb1 = seedExampleMetadata;
const seedRb3 = { ...seedRb1, bonus: '1000 bonuses', characteristic_json: '{"cashback": 5}' };

/** Field and message of each issue (the rule each one breaks is checked on its own below). */
function issuesOf(schema: typeof rb1MetadataSchema | typeof rb3MetadataSchema, input: unknown) {
  return rulesOf(schema, input).map(({ field, message }) => ({ field, message }));
}

function rulesOf(schema: typeof rb1MetadataSchema | typeof rb3MetadataSchema, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) return [];
  return formatMetadataIssues(result.error);
}

describe('RB1 / RB3 metadata schemas', () => {
  it('accepts the seed example and turns camp_cnt "50000" into a number', () => {
    const metadata = rb1MetadataSchema.parse(seedRb1);
    expect(metadata).toMatchObject({
      campaign_name: 'Spring Marketing Campaign',
      channel: 'Push',
      camp_cnt: 50000,
    });
    expect(rb3MetadataSchema.parse(seedRb3)).toMatchObject({ bonus: '1000 bonuses', camp_cnt: 50000 });
  });

  it('refuses a description that fits in characters but not in the 4000 bytes of an Oracle VARCHAR2', () => {
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, campaign_desc: 'a'.repeat(4000) })).toEqual([]);
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, campaign_desc: 'қ'.repeat(2000) })).toEqual([]);
    const issues = issuesOf(rb1MetadataSchema, { ...seedRb1, campaign_desc: 'қ'.repeat(2001) });
    expect(issues).toEqual([
      { field: 'campaign_desc', message: expect.stringContaining('4002 bytes') as unknown as string },
    ]);
  });

  it('normalises the channel to the seed spelling and optional texts to null', () => {
    const { campaign_desc, sub_stream, ...required } = seedRb1;
    const metadata = rb1MetadataSchema.parse({
      ...required,
      channel: 'pop-up',
      short_desc: '  ',
      camp_cnt: 12,
    });
    expect(metadata).toMatchObject({
      channel: 'POP-UP',
      campaign_desc: null,
      sub_stream: null,
      short_desc: null,
    });
  });

  it('refuses xls_ow_id from the caller, naming the key', () => {
    expect(issuesOf(rb3MetadataSchema, { ...seedRb3, xls_ow_id: 'KKB_0001' })).toEqual([
      { field: 'xls_ow_id', message: expect.stringContaining('assigned by the system') },
    ]);
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, colour: 'red' })).toEqual([
      { field: 'colour', message: 'colour is not a metadata field' },
    ]);
  });

  it("names an unknown key that is also an Object.prototype name (found by the REST answers' OpenAPI check)", () => {
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, constructor: 0, toString: 1 })).toEqual([
      { field: 'constructor', message: 'constructor is not a metadata field' },
      { field: 'toString', message: 'toString is not a metadata field' },
    ]);
  });

  it('names each missing required field', () => {
    const fields = issuesOf(rb3MetadataSchema, {}).map((issue) => issue.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'campaign_name',
        'stream',
        'channel',
        'campaign_text',
        'campaign_text_kz',
        'date_start',
        'date_end',
        'out_date',
        'camp_cnt',
        'bonus',
      ]),
    );
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, campaign_name: '   ' })).toEqual([
      { field: 'campaign_name', message: 'campaign_name must not be empty' },
    ]);
  });

  it('requires ISO dates that exist', () => {
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, date_start: '01.03.2024' })).toEqual([
      { field: 'date_start', message: expect.stringContaining('YYYY-MM-DD') },
    ]);
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, date_end: '2023-02-29' })).toEqual([
      { field: 'date_end', message: expect.stringContaining('not a real calendar date') },
    ]);
    expect(
      issuesOf(rb1MetadataSchema, { ...seedRb1, date_start: '2024-02-29', out_date: '2024-02-29' }),
    ).toEqual([]);
  });

  it('refuses date_end before date_start, and allows a one-day campaign', () => {
    expect(
      issuesOf(rb1MetadataSchema, { ...seedRb1, date_end: '2024-02-28', out_date: '2024-03-01' }),
    ).toEqual([{ field: 'date_end', message: 'date_end (2024-02-28) is before date_start (2024-03-01)' }]);
    const oneDay = { ...seedRb1, date_start: '2024-03-05', date_end: '2024-03-05', out_date: '2024-03-05' };
    expect(issuesOf(rb1MetadataSchema, oneDay)).toEqual([]);
  });

  it('requires out_date within [date_start, date_end]', () => {
    for (const out_date of ['2024-02-29', '2024-04-01']) {
      expect(issuesOf(rb1MetadataSchema, { ...seedRb1, out_date })).toEqual([
        { field: 'out_date', message: expect.stringContaining('within the campaign') },
      ]);
    }
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, out_date: '2024-03-31' })).toEqual([]);
  });

  it('requires camp_cnt to be a positive whole number, as a number or a digit string', () => {
    for (const camp_cnt of ['0', 0, -5, '-5', 1.5, '1.5', '1e5', 'many', '', Number.NaN]) {
      expect(issuesOf(rb1MetadataSchema, { ...seedRb1, camp_cnt })).toEqual([
        { field: 'camp_cnt', message: expect.stringContaining('camp_cnt') },
      ]);
    }
    expect(rb1MetadataSchema.parse({ ...seedRb1, camp_cnt: ' 7 ' }).camp_cnt).toBe(7);
  });

  it('requires characteristic_json to be valid JSON, and stores an object as JSON text', () => {
    expect(issuesOf(rb3MetadataSchema, { ...seedRb3, characteristic_json: '{cashback: 5}' })).toEqual([
      { field: 'characteristic_json', message: expect.stringContaining('not valid JSON') },
    ]);
    expect(
      rb3MetadataSchema.parse({ ...seedRb3, characteristic_json: { cashback: 5 } }).characteristic_json,
    ).toBe('{"cashback":5}');
    expect(issuesOf(rb3MetadataSchema, { ...seedRb3, characteristic_json: 5 })).toEqual([
      { field: 'characteristic_json', message: expect.stringContaining('JSON') },
    ]);
  });

  it('checks the texts against the channel, with the field in the error', () => {
    const longSms = { ...seedRb1, channel: 'SMS', campaign_text_kz: 'қ'.repeat(67 * 6 + 1) };
    expect(issuesOf(rb1MetadataSchema, longSms)).toEqual([
      { field: 'campaign_text_kz', message: expect.stringContaining('7 parts') },
    ]);
    expect(issuesOf(rb1MetadataSchema, { ...seedRb1, channel: 'Email' })).toEqual([
      { field: 'channel', message: expect.stringContaining('Push, POP-UP or SMS') },
    ]);
  });

  it('reports every problem at once, cross-field rules included', () => {
    const fields = issuesOf(rb1MetadataSchema, {
      ...seedRb1,
      campaign_name: '',
      camp_cnt: '0',
      date_end: '2024-02-01',
      xls_ow_id: 'KKB_0001',
    }).map((issue) => issue.field);
    expect(fields.sort()).toEqual(['camp_cnt', 'campaign_name', 'date_end', 'xls_ow_id']);
  });

  it('says the metadata must be an object', () => {
    expect(issuesOf(rb1MetadataSchema, null)).toEqual([
      { field: '', message: 'The metadata must be a JSON object' },
    ]);
  });

  it('names the rule each issue breaks, with its limit, so a form can word it in its own language', () => {
    const rules = (input: unknown) =>
      rulesOf(rb1MetadataSchema, input).map(({ field, rule, limit }) => ({ field, rule, limit }));
    const { campaign_name: _name, ...withoutName } = seedRb1;
    expect(rules(withoutName)).toEqual([{ field: 'campaign_name', rule: 'required', limit: undefined }]);
    expect(rules({ ...seedRb1, stream: 'x'.repeat(101) })).toEqual([
      { field: 'stream', rule: 'too_long', limit: 100 },
    ]);
    expect(rules({ ...seedRb1, date_start: '2024-02-30' })).toEqual([
      { field: 'date_start', rule: 'date_not_real', limit: undefined },
    ]);
    expect(rules({ ...seedRb1, date_end: '2024-02-01' })).toEqual([
      { field: 'date_end', rule: 'date_order', limit: undefined },
    ]);
    expect(rules({ ...seedRb1, camp_cnt: '0' })).toEqual([
      { field: 'camp_cnt', rule: 'positive_integer', limit: undefined },
    ]);
    expect(rules({ ...seedRb1, channel: 'SMS', campaign_text: 'Ж'.repeat(500) })).toEqual([
      { field: 'campaign_text', rule: 'sms_parts', limit: 6 },
    ]);
    expect(rules({ ...seedRb1, xls_ow_id: 'KKB_0001' })).toEqual([
      { field: 'xls_ow_id', rule: 'unknown_field', limit: undefined },
    ]);
  });

  it('campaignTypeSchema takes RB1 or RB3 only', () => {
    expect(campaignTypeSchema.parse('RB3')).toBe('RB3');
    expect(campaignTypeSchema.safeParse('rb1').success).toBe(false);
  });

  it('parseCampaignMetadata throws CAMPAIGN.INVALID_METADATA with the issues in details', () => {
    expect(parseCampaignMetadata('RB1', seedRb1).camp_cnt).toBe(50000);
    try {
      parseCampaignMetadata('RB3', seedRb1);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'CAMPAIGN.INVALID_METADATA')).toBe(true);
      expect((error as { details: unknown }).details).toEqual({
        issues: [{ field: 'bonus', message: 'bonus is required', rule: 'required' }],
      });
    }
  });
});

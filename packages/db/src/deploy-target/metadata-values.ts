// The metadata row's values in column order (tables.ts), shared by both adapters.
import type { MetadataRow } from './deploy-target';
import { DeployTargetError } from './deploy-target-error';
import { rb1MetadataColumns, rb3MetadataColumns } from './tables';

type Value = string | number | null;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateValue(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!DATE.test(value)) {
    throw new DeployTargetError(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      transient: false,
    });
  }
  return value;
}

export function metadataColumns(row: MetadataRow): readonly string[] {
  return row.kind === 'RB3' ? rb3MetadataColumns : rb1MetadataColumns;
}

export function metadataValues(row: MetadataRow): Value[] {
  const m = row.metadata;
  const values: Value[] = [
    row.campaignCode,
    m.campaign_name,
    m.campaign_desc ?? null,
    m.stream ?? null,
    m.sub_stream ?? null,
    m.target_action ?? null,
    m.channel ?? null,
    m.campaign_type ?? null,
    m.campaign_text ?? null,
    m.campaign_text_kz ?? null,
    m.short_desc ?? null,
    dateValue('date_start', m.date_start),
    dateValue('date_end', m.date_end),
    dateValue('out_date', m.out_date),
    m.camp_cnt ?? null,
  ];
  if (row.kind === 'RB3') {
    if (!row.xlsOwId)
      throw new DeployTargetError('an RB3 campaign needs its XLS_OW_ID', { transient: false });
    values.push(row.xlsOwId, m.bonus ?? null, m.characteristic_json ?? null);
  }
  return values;
}

export function checkedDate(field: string, value: string | null | undefined): string | null {
  return dateValue(field, value);
}

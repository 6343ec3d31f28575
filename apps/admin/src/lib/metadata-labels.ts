import type { Messages } from '$lib/i18n/en';

// The seed's metadata field names, in the order a person reads a campaign, with their labels in the UI language.
export const metadataOrder = [
  'campaign_name',
  'campaign_type',
  'stream',
  'sub_stream',
  'target_action',
  'channel',
  'short_desc',
  'campaign_desc',
  'date_start',
  'date_end',
  'out_date',
  'camp_cnt',
  'bonus',
  'characteristic_json',
] as const;

export function metadataLabel(t: Messages, key: string): string {
  const c = t.wizard.campaign;
  const labels: Record<string, string> = {
    campaign_name: c.name,
    campaign_type: c.kind,
    stream: c.stream,
    sub_stream: c.subStream,
    target_action: c.targetAction,
    channel: c.channel,
    short_desc: c.shortDesc,
    campaign_desc: c.desc,
    date_start: c.dateStart,
    date_end: c.dateEnd,
    out_date: c.outDate,
    camp_cnt: c.campCnt,
    bonus: c.bonus,
    characteristic_json: c.characteristic,
    campaign_text: c.textRu,
    campaign_text_kz: c.textKz,
  };
  return labels[key] ?? key;
}

/** Metadata entries worth showing (texts are shown apart), in reading order, then any other field. */
export function metadataEntries(metadata: Record<string, unknown>): Array<[string, string]> {
  const shown = (v: unknown) => v !== null && v !== undefined && v !== '';
  const known = metadataOrder
    .filter((k) => shown(metadata[k]))
    .map((k) => [k, String(metadata[k])] as [string, string]);
  const rest = Object.entries(metadata)
    .filter(
      ([k, v]) =>
        shown(v) && !(metadataOrder as readonly string[]).includes(k) && !k.startsWith('campaign_text'),
    )
    .map(([k, v]) => [k, String(v)] as [string, string]);
  return [...known, ...rest];
}

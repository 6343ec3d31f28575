import { formatIin, formatMetadataIssues, metadataSchemaFor, parseIinColumn } from '@campaigns/core';
import type { FilterConfig, PreviewResult } from '$lib/api/client';
import type { Cell } from '$lib/audience/iin-column-choice';
import type { RejectedRow } from '$lib/audience/rejected-csv';

export type CampaignType = 'RB1' | 'RB3';

export interface AudienceSummary {
  source: 'file' | 'paste';
  label: string;
  total: number;
  accepted: number;
  duplicates: number;
  rejected: RejectedRow[];
  rejectedCount: number;
  warningCount: number;
}

export const emptyMetadata = {
  campaign_name: '',
  campaign_desc: '',
  short_desc: '',
  stream: '',
  sub_stream: '',
  target_action: '',
  channel: 'SMS',
  campaign_type: '',
  campaign_text: '',
  campaign_text_kz: '',
  date_start: '',
  date_end: '',
  out_date: '',
  camp_cnt: '',
  bonus: '',
  characteristic_json: '',
};
export type MetadataForm = typeof emptyMetadata;

const rb3Only = ['bonus', 'characteristic_json'] as const;
// Lists above this size are not kept in local storage (about 5 MB per site); the report still is.
const maxStoredIins = 200_000;

interface Snapshot {
  step: number;
  audience: AudienceSummary | null;
  iins: string[] | null;
  filters: FilterConfig;
  campaignType: CampaignType;
  metadata: MetadataForm;
  controlPercent: number;
  deployAt: string;
  code: string | null;
  savedAt: string | null;
}

/**
 * The new-campaign wizard: everything the marketer entered, saved to local storage as they go (per user), so an
 * expired session or a closed tab loses nothing. The server draft is created once the metadata is valid.
 */
export class Wizard {
  step = $state(0);
  audience = $state<AudienceSummary | null>(null);
  /** Accepted IINs, 12-digit strings, each once. Not deeply reactive: it can hold a million entries. */
  iins = $state.raw<string[]>([]);
  filters = $state<FilterConfig>({});
  preview = $state.raw<PreviewResult | null>(null);
  previewing = $state(false);
  campaignType = $state<CampaignType>('RB1');
  metadata = $state<MetadataForm>({ ...emptyMetadata });
  controlPercent = $state(0);
  deployAt = $state('');
  /** The server draft's code once saved. */
  code = $state<string | null>(null);
  savedAt = $state<string | null>(null);
  /** Show every metadata problem, touched or not (after an attempt to go on). */
  showIssues = $state(false);
  /** One key per wizard run, so a repeated submit (a retry after a timeout) never makes a second campaign. */
  idempotencyKey = crypto.randomUUID();
  /** Whether the audience list could not be restored from local storage (too large to keep). */
  iinsLost = $state(false);

  constructor(private readonly storageKey: string) {}

  /** Metadata as the API wants it: empty optional fields left out, RB3-only fields only for RB3. */
  get metadataPayload(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.metadata)) {
      if (this.campaignType === 'RB1' && (rb3Only as readonly string[]).includes(key)) continue;
      // A number input binds a number (or null when empty): everything is sent as the text the seed sends.
      const text = value === null || value === undefined ? '' : String(value).trim();
      if (text === '') continue;
      out[key] = text;
    }
    return out;
  }

  /** Every metadata problem by field, from core's schema (the same rule the API applies). */
  metadataIssues = $derived.by(() => {
    const parsed = metadataSchemaFor(this.campaignType).safeParse(this.metadataPayload);
    const issues: Record<string, string> = {};
    if (!parsed.success) {
      for (const issue of formatMetadataIssues(parsed.error)) {
        const field = issue.field || 'metadata';
        issues[field] ??= issue.message;
      }
    }
    return issues;
  });

  get metadataValid(): boolean {
    return Object.keys(this.metadataIssues).length === 0;
  }

  get controlGroup(): { share: number; strata: 'sex_age' } | undefined {
    return this.controlPercent > 0 ? { share: this.controlPercent / 100, strata: 'sex_age' } : undefined;
  }

  /** Validates an uploaded or pasted column with core's IIN rule and keeps the report and the accepted IINs. */
  setAudience(source: 'file' | 'paste', label: string, values: Cell[], firstRow: number): void {
    const report = parseIinColumn(values, { firstRowNumber: firstRow });
    const iins = Array.from(report.iins, (iin) => formatIin(iin));
    this.iins = iins;
    this.iinsLost = false;
    this.preview = null;
    this.audience = {
      source,
      label,
      total: report.total,
      accepted: report.accepted,
      duplicates: report.duplicates,
      rejected: report.rejected.slice(0, 10_000).map((r) => ({
        row: r.row,
        value: r.value,
        reason: r.reason,
        message: r.message,
      })),
      rejectedCount: report.rejected.length,
      warningCount: Object.values(report.warningCounts).reduce((a, b) => a + b, 0),
    };
  }

  save(): void {
    const snapshot: Snapshot = {
      step: this.step,
      audience: this.audience,
      iins: this.iins.length <= maxStoredIins ? this.iins : null,
      filters: this.filters,
      campaignType: this.campaignType,
      metadata: this.metadata,
      controlPercent: this.controlPercent,
      deployAt: this.deployAt,
      code: this.code,
      savedAt: new Date().toISOString(),
    };
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(snapshot));
      this.savedAt = snapshot.savedAt;
    } catch {
      // Storage full or disabled: the wizard still works, only the local autosave is lost.
    }
  }

  restore(): boolean {
    const text = localStorage.getItem(this.storageKey);
    if (!text) return false;
    try {
      const s = JSON.parse(text) as Snapshot;
      this.step = s.step;
      this.audience = s.audience;
      this.iins = s.iins ?? [];
      this.iinsLost = s.audience !== null && s.iins === null;
      this.filters = s.filters;
      this.campaignType = s.campaignType;
      this.metadata = { ...emptyMetadata, ...s.metadata };
      this.controlPercent = s.controlPercent;
      this.deployAt = s.deployAt;
      this.code = s.code;
      this.savedAt = s.savedAt;
      return true;
    } catch {
      return false;
    }
  }

  discard(): void {
    localStorage.removeItem(this.storageKey);
    this.step = 0;
    this.audience = null;
    this.iins = [];
    this.filters = {};
    this.preview = null;
    this.campaignType = 'RB1';
    this.metadata = { ...emptyMetadata };
    this.controlPercent = 0;
    this.deployAt = '';
    this.code = null;
    this.savedAt = null;
  }
}

import {
  ALL_DEPLOY_OPTIONS,
  type CampaignType,
  type DeployOptions,
  formatIin,
  formatMetadataIssues,
  type InputIssue,
  MAX_CONTROL_SHARE,
  metadataSchemaFor,
  parseIinColumn,
} from '@campaigns/core/rules';
import type { FilterConfig, PreviewResult } from '$lib/api/client';
import type { JobResult } from '$lib/api/jobs';
import type { RejectedRow } from '$lib/audience/rejected-csv';

export interface AudienceSummary {
  /** `clients`: the whole client base (the registry's client list), filtered on the next step. */
  source: 'file' | 'paste' | 'product' | 'clients';
  label: string;
  /** The IIN column the server found in the file (header name or position). */
  column: string | null;
  total: number;
  accepted: number;
  duplicates: number;
  rejected: RejectedRow[];
  rejectedCount: number;
  warningCount: number;
  /** Warnings by code (IIN.LEADING_ZERO_RESTORED, ...): Review lists them with what the approver signs. */
  warningCounts?: Record<string, number>;
  /** Rows accepted with a warning (the first 10,000), listed like the rejected ones. */
  warnings?: RejectedRow[];
  /** An uploaded file's columns that could hold IINs, best first (two or more: the marketer picks). */
  columnCandidates?: ColumnCandidate[];
  columnIndex?: number;
}

/** An upload job's result (the API's UploadJobResult, through RouterOutputs). */
export type UploadResult = JobResult<'upload'>;
/** A column of an uploaded file that could hold IINs. */
export type ColumnCandidate = UploadResult['column_candidates'][number];

const rejectedRow = (r: { row: number; value: string; reason: string; message: string }): RejectedRow => ({
  row: r.row,
  value: r.value,
  reason: r.reason,
  message: r.message,
});

/** A row accepted with a warning, listed like a rejected one (its warning code as the reason). */
const warningRow = (w: { row: number; value: string; code: string; message: string }): RejectedRow => ({
  row: w.row,
  value: w.value,
  reason: w.code,
  message: w.message,
});

/** An ISO instant as the value of a datetime-local input (the browser's local time). */
function localDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
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
/** The API's largest control share (core's MAX_CONTROL_SHARE), as the form's whole percentage. */
export const maxControlPercent = Math.round(MAX_CONTROL_SHARE * 100);

/** The control share's problem, as the API would name it (its field and limit are the share, not the percent). */
function controlShareIssue(percent: number): InputIssue | null {
  const field = 'control_group.share';
  const message = `control share must be a whole percentage from 0 to ${maxControlPercent}`;
  if (!Number.isInteger(percent)) return { field, message, rule: 'invalid_type', expected: 'int' };
  if (percent < 0) return { field, message, rule: 'too_small', limit: 0 };
  if (percent > maxControlPercent) return { field, message, rule: 'too_big', limit: MAX_CONTROL_SHARE };
  return null;
}
// Lists above this size are not kept in local storage (about 5 MB per site); the report still is.
const maxStoredIins = 200_000;
/** The autosave waits this long after a change, so typing saves once it pauses. */
export const autosaveDelayMs = 400;

interface Snapshot {
  step: number;
  audience: AudienceSummary | null;
  iins: string[] | null;
  uploadId: string | null;
  allClients?: boolean;
  keptAudience?: number | null;
  filters: FilterConfig;
  campaignType: CampaignType;
  metadata: MetadataForm;
  controlPercent: number;
  deployAt: string;
  deployOptions?: DeployOptions;
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
  /** Editing a saved campaign: the size of its stored audience, used unless a new list replaces it. */
  keptAudience = $state<number | null>(null);
  /** A file parsed by the server (`audiences.upload`): its IINs stay there, referenced by this id. */
  uploadId = $state<string | null>(null);
  /** The audience is every client of the registry's client list (it stays on the server). */
  allClients = $state(false);
  filters = $state<FilterConfig>({});
  preview = $state.raw<PreviewResult | null>(null);
  previewing = $state(false);
  campaignType = $state<CampaignType>('RB1');
  metadata = $state<MetadataForm>({ ...emptyMetadata });
  controlPercent = $state(0);
  deployAt = $state('');
  /** Which of the seed's tables to write (all by default). */
  deployOptions = $state<DeployOptions>({ ...ALL_DEPLOY_OPTIONS });
  /** The server draft's code once saved. */
  code = $state<string | null>(null);
  savedAt = $state<string | null>(null);
  /** Show every metadata problem, touched or not (after an attempt to go on). */
  showIssues = $state(false);
  /** One key per wizard run, so a repeated submit (a retry after a timeout) never makes a second campaign. */
  idempotencyKey = crypto.randomUUID();
  /** Whether the audience list could not be restored from local storage (too large to keep). */
  iinsLost = $state(false);
  /** Every registered blacklist (from the registry): each is applied unless the marketer says why not. */
  registeredBlacklists = $state<string[]>([]);

  /** The autosave's timer while a change waits to be written. */
  #pendingSave: ReturnType<typeof setTimeout> | undefined;
  /** `changeKey` of what local storage holds (restored, saved, or nothing after a discard). */
  #storedKey: string | null = null;

  constructor(
    private readonly storageKey: string,
    /**
     * Whether a draft may be written now: not once its owner signed out on purpose (the drafts were removed,
     * and an autosave due after that must not bring one back).
     */
    private readonly mayStore: () => boolean = () => true,
  ) {}

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

  /**
   * Every problem of the campaign step by field: the metadata from core's schema (the same rule the API
   * applies), and the control group share against the API's limit. The form words them in the UI language.
   */
  metadataIssues = $derived.by(() => {
    const parsed = metadataSchemaFor(this.campaignType).safeParse(this.metadataPayload);
    const issues: Record<string, InputIssue> = {};
    if (!parsed.success) {
      for (const issue of formatMetadataIssues(parsed.error)) {
        const field = issue.field || 'metadata';
        issues[field] ??= issue;
      }
    }
    const control = controlShareIssue(Number(this.controlPercent ?? 0));
    if (control) issues.control = control;
    return issues;
  });

  get metadataValid(): boolean {
    return Object.keys(this.metadataIssues).length === 0;
  }

  /** IINs in the audience: the server's count for an uploaded file, the local list for pasted text. */
  get audienceSize(): number {
    if (this.uploadId || this.allClients) return this.audience?.accepted ?? 0;
    return this.iins.length > 0 ? this.iins.length : (this.keptAudience ?? 0);
  }

  /** Whether the audience is the saved campaign's own (nothing new uploaded or pasted). */
  get audienceKept(): boolean {
    return this.keptAudience !== null && !this.uploadId && !this.allClients && this.iins.length === 0;
  }

  /** The audience as the API takes it: all clients, an upload id, or the pasted list. */
  get audienceInput():
    | { all_clients: true }
    | { upload_id: string }
    | { user_iins: string[] }
    | Record<string, never> {
    if (this.audienceKept) return {};
    if (this.allClients) return { all_clients: true };
    return this.uploadId ? { upload_id: this.uploadId } : { user_iins: this.iins };
  }

  get controlGroup(): { share: number; strata: 'sex_age' } | undefined {
    return this.controlPercent > 0 ? { share: this.controlPercent / 100, strata: 'sex_age' } : undefined;
  }

  /**
   * Learns the registered blacklists; a wizard that has not chosen any yet gets all of them (on by default:
   * leaving one out is a choice with a reason that the approver must acknowledge).
   */
  setRegisteredBlacklists(names: string[]): void {
    // Unchanged names keep the same array, so effects that read it (the preview) do not run again.
    if (names.join('\n') !== this.registeredBlacklists.join('\n')) this.registeredBlacklists = names;
    if (this.filters.blacklist_tables === undefined)
      this.filters = { ...this.filters, blacklist_tables: [...names] };
  }

  /** Registered blacklists left out, each with the marketer's reason (empty until given). */
  get omittedBlacklists(): Array<{ name: string; reason: string }> {
    const applied = this.filters.blacklist_tables ?? [];
    const reasons = this.filters.blacklist_omissions ?? {};
    return this.registeredBlacklists
      .filter((name) => !applied.includes(name))
      .map((name) => ({ name, reason: (reasons[name] ?? '').trim() }));
  }

  /** Whether every left-out blacklist has its reason (the filters step cannot be left before). */
  get omissionsExplained(): boolean {
    return this.omittedBlacklists.every((o) => o.reason !== '');
  }

  setOmissionReason(name: string, reason: string): void {
    this.filters = {
      ...this.filters,
      blacklist_omissions: { ...(this.filters.blacklist_omissions ?? {}), [name]: reason },
    };
  }

  /** The filter config as the API takes it: reasons only for the blacklists actually left out. */
  get filterConfig(): FilterConfig {
    const { blacklist_omissions: reasons = {}, ...rest } = $state.snapshot(this.filters) as FilterConfig;
    const applied = rest.blacklist_tables ?? [];
    const omissions = Object.fromEntries(
      Object.entries(reasons)
        .map(([name, reason]) => [name, (reason ?? '').trim()] as const)
        .filter(([name, reason]) => reason !== '' && !applied.includes(name)),
    );
    return { ...rest, blacklist_omissions: omissions };
  }

  /**
   * What the preview needs to compute exactly what the create will save: the audience (or the saved campaign's
   * own), the filters, the dates (contact pressure), the control group and the tables to write.
   */
  get previewInput() {
    return {
      ...(this.audienceKept && this.code ? { code: this.code } : this.audienceInput),
      filter_config: this.filterConfig,
      metadata: this.metadataPayload,
      control_group: this.controlGroup ?? null,
      campaign_type: this.campaignType,
      deploy_options: { ...this.deployOptions },
    };
  }

  /** The campaign as the create (and, without its type, the update) takes it. */
  get campaignBody() {
    return {
      campaign_type: this.campaignType,
      metadata: this.metadataPayload,
      ...this.audienceInput,
      filter_config: this.filterConfig,
      ...(this.controlGroup ? { control_group: this.controlGroup } : {}),
      deploy_options: { ...this.deployOptions },
      ...(this.deployAt ? { deploy_at: new Date(this.deployAt).toISOString() } : {}),
    };
  }

  /** Validates a pasted list with core's IIN rule (the API's rule) and keeps the report and the accepted IINs. */
  setPasted(label: string, values: string[]): void {
    const report = parseIinColumn(values, { firstRowNumber: 1 });
    this.iins = Array.from(report.iins, (iin) => formatIin(iin));
    this.uploadId = null;
    this.allClients = false;
    this.iinsLost = false;
    this.preview = null;
    this.audience = {
      source: 'paste',
      label,
      column: null,
      total: report.total,
      accepted: report.accepted,
      duplicates: report.duplicates,
      rejected: report.rejected.slice(0, 10_000).map(rejectedRow),
      rejectedCount: report.rejected.length,
      warningCount: Object.values(report.warningCounts).reduce((a, b) => a + b, 0),
      warningCounts: { ...report.warningCounts },
      warnings: report.warnings.slice(0, 10_000).map(warningRow),
    };
  }

  /** Keeps the server's report of an uploaded file; the IINs stay on the server under `upload_id`. */
  setUpload(label: string, result: UploadResult, source: 'file' | 'product' = 'file'): void {
    this.iins = [];
    this.uploadId = result.upload_id;
    this.allClients = false;
    this.iinsLost = false;
    this.preview = null;
    this.audience = {
      source,
      label,
      // A product selection has no file column to name.
      column: source === 'product' ? null : result.column,
      total: result.total,
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejected.map(rejectedRow),
      rejectedCount: result.rejected_count,
      warningCount: Object.values(result.warning_counts).reduce((a, b) => a + b, 0),
      warningCounts: { ...result.warning_counts },
      warnings: result.warnings.map(warningRow),
      columnCandidates: result.column_candidates,
      columnIndex: result.column_index,
    };
  }

  /**
   * Every client of the client list (`size` of them, as the registry's dataset counts them): the server reads
   * the list itself, and the filters on the next step narrow it, as the seed's query builder did.
   */
  setAllClients(label: string, size: number): void {
    this.iins = [];
    this.uploadId = null;
    this.allClients = true;
    this.iinsLost = false;
    this.preview = null;
    this.audience = {
      source: 'clients',
      label,
      column: null,
      total: size,
      accepted: size,
      duplicates: 0,
      rejected: [],
      rejectedCount: 0,
      warningCount: 0,
    };
  }

  /** A failed upload: the previous file's report and audience are gone, so Next cannot go on with them. */
  clearAudience(): void {
    this.audience = null;
    this.iins = [];
    this.uploadId = null;
    this.allClients = false;
    this.preview = null;
  }

  /** Starts from a saved campaign (a draft, or one sent back by an approver) to change and resubmit it. */
  loadCampaign(c: {
    campaign_code: string;
    campaign_type: CampaignType;
    metadata: Record<string, unknown>;
    filter_config: Record<string, unknown>;
    filter_stats: Record<string, unknown>;
    skipped_blacklists: string[];
    deploy_at: string | null;
    deploy_options: unknown;
  }): void {
    this.code = c.campaign_code;
    this.campaignType = c.campaign_type;
    const form = { ...emptyMetadata };
    for (const key of Object.keys(form) as Array<keyof MetadataForm>) {
      const value = c.metadata[key];
      if (value !== null && value !== undefined) form[key] = String(value);
    }
    this.metadata = form;
    const { control_share, ...filters } = c.filter_config;
    this.filters = filters as FilterConfig;
    this.controlPercent = Math.round(Number(control_share ?? 0) * 100);
    this.deployAt = c.deploy_at ? localDateTime(c.deploy_at) : '';
    this.deployOptions = { ...ALL_DEPLOY_OPTIONS, ...(c.deploy_options as Partial<DeployOptions>) };
    this.keptAudience = Number(c.filter_stats.initial_count ?? 0);
    this.audience = null;
    this.iins = [];
    this.uploadId = null;
    this.allClients = false;
    // The saved funnel until the first preview of the saved audience (by code) answers.
    this.preview = {
      duplicates: 0,
      filter_stats: c.filter_stats,
      warnings: [],
      skipped_blacklists: c.skipped_blacklists,
      blacklist_breakdown: [],
      omitted_blacklists: [],
      tables_to_write: [],
    } as unknown as PreviewResult;
    this.step = 2;
  }

  /** What the autosave watches: everything the marketer entered (the IIN list by its length). */
  get changeKey(): string {
    return JSON.stringify([
      this.step,
      this.audience,
      this.iins.length,
      this.uploadId,
      this.allClients,
      this.keptAudience,
      this.filters,
      this.campaignType,
      this.metadata,
      this.controlPercent,
      this.deployAt,
      this.deployOptions,
      this.code,
    ]);
  }

  /**
   * Saves once changes pause for `autosaveDelayMs` (each call puts the wait back); nothing waits while the state
   * is what local storage holds already. Read in an $effect, it tracks everything `changeKey` reads.
   */
  saveSoon(): void {
    this.cancelSave();
    if (this.changeKey === this.#storedKey) return;
    this.#pendingSave = setTimeout(() => this.save(), autosaveDelayMs);
  }

  /**
   * Writes a waiting autosave now: the page is going away (the session ended, the person left or closed the
   * tab), and the last change made within the delay would be lost with the timer.
   */
  flushSave(): void {
    if (this.#pendingSave !== undefined) this.save();
  }

  /** Drops a waiting autosave. */
  cancelSave(): void {
    clearTimeout(this.#pendingSave);
    this.#pendingSave = undefined;
  }

  save(): void {
    this.cancelSave();
    if (!this.mayStore()) return;
    const snapshot: Snapshot = {
      step: this.step,
      audience: this.audience,
      iins: this.iins.length <= maxStoredIins ? this.iins : null,
      uploadId: this.uploadId,
      allClients: this.allClients,
      keptAudience: this.keptAudience,
      filters: this.filters,
      campaignType: this.campaignType,
      metadata: this.metadata,
      controlPercent: this.controlPercent,
      deployAt: this.deployAt,
      deployOptions: this.deployOptions,
      code: this.code,
      savedAt: new Date().toISOString(),
    };
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(snapshot));
      this.savedAt = snapshot.savedAt;
      this.#storedKey = this.changeKey;
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
      this.uploadId = s.uploadId ?? null;
      this.allClients = s.allClients ?? false;
      this.keptAudience = s.keptAudience ?? null;
      this.iinsLost = s.audience !== null && s.iins === null && !this.uploadId && !this.allClients;
      this.filters = s.filters;
      this.campaignType = s.campaignType;
      this.metadata = { ...emptyMetadata, ...s.metadata };
      this.controlPercent = s.controlPercent;
      this.deployAt = s.deployAt;
      this.deployOptions = { ...ALL_DEPLOY_OPTIONS, ...s.deployOptions };
      this.code = s.code;
      this.savedAt = s.savedAt;
      this.#storedKey = this.changeKey;
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets the draft: local storage holds none, and the emptied wizard is not written back. */
  discard(): void {
    this.cancelSave();
    localStorage.removeItem(this.storageKey);
    this.step = 0;
    this.audience = null;
    this.iins = [];
    this.uploadId = null;
    this.allClients = false;
    this.keptAudience = null;
    this.filters = {};
    this.preview = null;
    this.campaignType = 'RB1';
    this.metadata = { ...emptyMetadata };
    this.controlPercent = 0;
    this.deployAt = '';
    this.deployOptions = { ...ALL_DEPLOY_OPTIONS };
    this.code = null;
    this.savedAt = null;
    this.#storedKey = this.changeKey;
  }
}

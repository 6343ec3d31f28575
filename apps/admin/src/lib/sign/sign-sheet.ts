// "What you sign": everything an approval binds, in one shape, built from a saved campaign (the approver's
// view) or from the wizard's inputs and preview (the marketer's Review), so both read the same sheet.

export interface SheetWarning {
  code: string | null;
  dataset: string | null;
  message: string;
}

export interface SignSheet {
  campaignType: string;
  code: string | null;
  xlsOwId: string | null;
  metadata: Record<string, unknown>;
  filters: {
    blacklists: string[];
    devices: string[];
    pushStreams: string[];
    products: string[];
    mauOnly: boolean;
    contactPressure: boolean;
  };
  stats: Record<string, unknown>;
  /** Share of the final audience held back as control (0..1). */
  controlShare: number;
  skippedBlacklists: string[];
  omittedBlacklists: Array<{ name: string; reason: string | null }>;
  /** Pipeline warnings (datasets skipped, values unknown): the code words them in the UI language. */
  warnings: SheetWarning[];
  tablesToWrite: string[];
  deployAt: string | null;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** The filter values of a (saved or previewed) filter config, step by step. */
export function filtersOf(config: Record<string, unknown>): SignSheet['filters'] {
  return {
    blacklists: list(config.blacklist_tables),
    devices: list(config.devices),
    pushStreams: list(config.push_streams),
    products: list(config.products),
    mauOnly: config.mau_only === true,
    contactPressure: config.contact_pressure === true,
  };
}

/** The pipeline's warnings as stored (objects with code, dataset and message), or plain strings. */
export function sheetWarnings(warnings: readonly unknown[]): SheetWarning[] {
  return warnings.map((w) => {
    if (typeof w !== 'object' || w === null) return { code: null, dataset: null, message: String(w) };
    const { code, dataset, message } = w as { code?: unknown; dataset?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : null,
      dataset: typeof dataset === 'string' ? dataset : null,
      message: String(message ?? ''),
    };
  });
}

/** The planned count (camp_cnt) against the final audience: the difference the approver should see. */
export function plannedAgainstFinal(sheet: SignSheet): {
  planned: number | null;
  final: number;
  difference: number | null;
} {
  const final = Number(sheet.stats.final_count ?? 0);
  const raw = sheet.metadata.camp_cnt;
  const planned = raw === undefined || raw === null || raw === '' ? null : Number(raw);
  return {
    planned: planned !== null && Number.isFinite(planned) ? planned : null,
    final,
    difference: planned !== null && Number.isFinite(planned) ? final - planned : null,
  };
}

/** The sheet of a saved campaign, as `campaigns.get` answers it. */
export function sheetOfCampaign(c: {
  campaign_type: string;
  campaign_code: string;
  xls_ow_id: string | null;
  metadata: Record<string, unknown>;
  filter_config: Record<string, unknown>;
  filter_stats: Record<string, unknown>;
  warnings: unknown[];
  skipped_blacklists: string[];
  omitted_blacklists: Array<{ name: string; reason: string | null }>;
  tables_to_write: string[];
  deploy_at: string | null;
}): SignSheet {
  return {
    campaignType: c.campaign_type,
    code: c.campaign_code,
    xlsOwId: c.xls_ow_id,
    metadata: c.metadata,
    filters: filtersOf(c.filter_config),
    stats: c.filter_stats,
    controlShare: Number(c.filter_config.control_share ?? 0),
    skippedBlacklists: c.skipped_blacklists,
    omittedBlacklists: c.omitted_blacklists,
    warnings: sheetWarnings(c.warnings),
    tablesToWrite: c.tables_to_write,
    deployAt: c.deploy_at,
  };
}

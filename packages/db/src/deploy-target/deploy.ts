// Deploying a campaign to the target tables (docs/ARCHITECTURE.md "Deploy semantics"): metadata -> targeting (target,
// control) -> user list -> off-limit, each toggled by deploy_options; each table in its own transaction.

import {
  ALL_DEPLOY_OPTIONS,
  type CampaignType,
  type DeployOptions,
  domainError,
  isCampaignCode,
  isXlsOwId,
} from '@campaigns/core';
import type { DeployTarget, TargetMetadata } from './deploy-target';
import {
  CAMPAIGN_USERS_TABLE,
  CONTROL_USERS_TABLE,
  metadataTableFor,
  OFF_LIMIT_USERS_TABLE,
  shortTableName,
  TARGET_USERS_TABLE,
  type TargetTable,
} from './tables';

export interface DeployRequest {
  campaignCode: string;
  kind: CampaignType;
  xlsOwId?: string | null;
  metadata: TargetMetadata;
  /** Users who receive the campaign: target table, user list and off-limit table. */
  target: ArrayLike<number>;
  /** The held-back control group (control table only); empty when there is none. */
  control?: ArrayLike<number>;
  options?: Partial<DeployOptions>;
}

/**
 * written: landed in this attempt. already_present: landed in an earlier attempt (a retry leaves it alone).
 * skipped: switched off by deploy_options, nothing to write, or not reached after a metadata failure.
 */
export type TableOutcomeStatus = 'written' | 'already_present' | 'skipped' | 'failed';

export interface TableOutcome {
  table: TargetTable;
  status: TableOutcomeStatus;
  rows: number;
  ms: number;
  /** `table: message`, as in `errors`. */
  error: string | null;
}

/** The seed's deployment_result. */
export interface SeedDeploymentResult {
  campaign_code: string;
  tables_updated: string[];
  total_users: number;
  errors: string[];
  success: boolean;
}

/** The seed's deployment_result, plus per-table outcomes with row counts and timings. */
export interface DeploymentResult extends SeedDeploymentResult {
  tables: TableOutcome[];
}

interface Step {
  table: TargetTable;
  enabled: boolean;
  expectedRows: number;
  write: () => Promise<void>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function validate(request: DeployRequest): void {
  if (!isCampaignCode(request.campaignCode)) {
    throw domainError('CAMPAIGN.INVALID_METADATA', `not a campaign code: ${request.campaignCode}`);
  }
  if (request.kind === 'RB3' && !isXlsOwId(request.xlsOwId ?? '')) {
    throw domainError('CAMPAIGN.INVALID_METADATA', `an RB3 campaign needs an XLS_OW_ID like KKB_0123`);
  }
}

async function runStep(target: DeployTarget, code: string, step: Step): Promise<TableOutcome> {
  const started = performance.now();
  const outcome = (status: TableOutcomeStatus, rows: number, error: string | null = null): TableOutcome => ({
    table: step.table,
    status,
    rows,
    ms: Math.round(performance.now() - started),
    error: error === null ? null : `${shortTableName(step.table)}: ${error}`,
  });
  if (!step.enabled || step.expectedRows === 0) return outcome('skipped', 0);
  try {
    // A retry writes only what is missing: a table holding the campaign already landed whole earlier.
    const existing = await target.countRows(step.table, code);
    if (existing === step.expectedRows) return outcome('already_present', existing);
    if (existing > 0) {
      return outcome(
        'failed',
        0,
        `holds ${existing} rows for ${code} where ${step.expectedRows} were expected; delete the campaign and deploy it again`,
      );
    }
    await step.write();
    return outcome('written', step.expectedRows);
  } catch (error) {
    // The outcome of a failed commit can be unknown (connection lost after COMMIT): look before reporting.
    const landed = await target.countRows(step.table, code).catch(() => -1);
    if (landed === step.expectedRows) return outcome('written', step.expectedRows);
    return outcome('failed', 0, messageOf(error));
  }
}

export interface DeployProgress {
  /** Called after each of the five tables, in deploy order (a progress bar: `done / total`). */
  onTable?: (outcome: TableOutcome, done: number, total: number) => void;
}

export async function deployCampaign(
  target: DeployTarget,
  request: DeployRequest,
  progress: DeployProgress = {},
): Promise<DeploymentResult> {
  validate(request);
  const options: DeployOptions = { ...ALL_DEPLOY_OPTIONS, ...request.options };
  const code = request.campaignCode;
  const control = request.control ?? [];
  const users = { campaignCode: code, iins: request.target };

  const metadataStep: Step = {
    table: metadataTableFor(request.kind),
    enabled: options.deploy_metadata,
    expectedRows: 1,
    write: () =>
      target.writeMetadata({
        campaignCode: code,
        kind: request.kind,
        xlsOwId: request.xlsOwId ?? null,
        metadata: request.metadata,
      }),
  };
  const laterSteps: Step[] = [
    {
      table: TARGET_USERS_TABLE,
      enabled: options.deploy_targeting,
      expectedRows: request.target.length,
      write: () => target.writeUsers(TARGET_USERS_TABLE, users),
    },
    {
      table: CONTROL_USERS_TABLE,
      enabled: options.deploy_targeting,
      expectedRows: control.length,
      write: () => target.writeUsers(CONTROL_USERS_TABLE, { campaignCode: code, iins: control }),
    },
    {
      table: CAMPAIGN_USERS_TABLE,
      enabled: options.deploy_users,
      expectedRows: request.target.length,
      write: () => target.writeUsers(CAMPAIGN_USERS_TABLE, users),
    },
    {
      table: OFF_LIMIT_USERS_TABLE,
      enabled: options.deploy_offlimit,
      expectedRows: request.target.length,
      write: () =>
        target.writeUsers(OFF_LIMIT_USERS_TABLE, {
          ...users,
          dateStart: request.metadata.date_start ?? null,
          dateEnd: request.metadata.date_end ?? null,
        }),
    },
  ];

  const total = 1 + laterSteps.length;
  const tables: TableOutcome[] = [];
  const record = (outcome: TableOutcome) => {
    tables.push(outcome);
    progress.onTable?.(outcome, tables.length, total);
  };
  record(await runStep(target, code, metadataStep));
  // Metadata failing is critical: nothing else is written.
  const critical = tables[0]!.status === 'failed';
  // The user tables are independent of each other (each lands whole or not at all), so a target that can
  // load several at once does; the outcomes are reported in the seed's order all the same.
  // Progress is still told in deploy order: a finished table waits for the ones before it.
  const outcomes: Array<TableOutcome | undefined> = new Array(laterSteps.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < laterSteps.length; i = next++) {
      const step = laterSteps[i]!;
      outcomes[i] = critical
        ? { table: step.table, status: 'skipped', rows: 0, ms: 0, error: null }
        : await runStep(target, code, step);
      while (tables.length - 1 < outcomes.length && outcomes[tables.length - 1]) {
        record(outcomes[tables.length - 1]!);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, target.parallelWrites) }, worker));

  const errors = tables.flatMap((t) => (t.error === null ? [] : [t.error]));
  return {
    campaign_code: code,
    tables_updated: tables.filter((t) => t.status === 'written').map((t) => t.table),
    total_users: request.target.length,
    errors,
    success: errors.length === 0,
    tables,
  };
}

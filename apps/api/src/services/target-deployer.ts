import { type CampaignMetadata, type DeployTarget, deployCampaign, openDeployTarget } from '@campaigns/db';
import type { Settings } from '../env';
import type { CampaignDeployer } from './campaign-deployer';

/** The API's deployer over a @campaigns/db deploy target (deploy semantics live in db's deployCampaign). */
export function deployerOver(target: DeployTarget): CampaignDeployer {
  return {
    kind: target.name,
    async deploy(request) {
      const result = await deployCampaign(target, {
        campaignCode: request.code,
        kind: request.campaignType,
        xlsOwId: request.xlsOwId,
        metadata: toTargetMetadata(request.metadata),
        target: request.target,
        control: request.control,
        options: request.options,
      });
      const { tables, ...seed } = result;
      return {
        result: seed,
        tables: tables.map((t) => ({
          table: t.table,
          status: t.status,
          rows: t.rows,
          ms: t.ms,
          error: t.error,
        })),
      };
    },
    async remove(code) {
      const deleted = await target.deleteCampaign(code);
      const tables = Object.entries(deleted)
        .filter(([, rows]) => rows > 0)
        .map(([table]) => table);
      const rows = Object.values(deleted).reduce((sum, n) => sum + n, 0);
      return { tables, rows };
    },
    largestCodes: () => target.largestCodes(),
    offLimitIins: (period) => target.offLimitIins(period),
    async ping() {
      await target.largestCodes();
    },
    close: () => target.close(),
  };
}

/** The metadata as the target tables hold it (camp_cnt a number, characteristic_json a JSON text). */
function toTargetMetadata(metadata: Record<string, unknown>): CampaignMetadata {
  const text = (key: string) => {
    const value = metadata[key];
    return value === undefined || value === null ? null : String(value);
  };
  const characteristic = metadata.characteristic_json;
  return {
    campaign_name: String(metadata.campaign_name ?? ''),
    campaign_desc: text('campaign_desc'),
    stream: text('stream'),
    sub_stream: text('sub_stream'),
    target_action: text('target_action'),
    channel: text('channel'),
    campaign_type: text('campaign_type'),
    campaign_text: text('campaign_text'),
    campaign_text_kz: text('campaign_text_kz'),
    short_desc: text('short_desc'),
    date_start: text('date_start'),
    date_end: text('date_end'),
    out_date: text('out_date'),
    camp_cnt:
      metadata.camp_cnt === undefined || metadata.camp_cnt === null ? null : Number(metadata.camp_cnt),
    bonus: text('bonus'),
    characteristic_json:
      characteristic === undefined || characteristic === null
        ? null
        : typeof characteristic === 'string'
          ? characteristic
          : JSON.stringify(characteristic),
  };
}

/**
 * The configured target: the PostgreSQL twin (default; in the app's own database unless TARGET_DATABASE_URL
 * names another), or Oracle (Thin mode) by settings.
 */
export async function createTargetDeployer(settings: Settings, storeUrl: string): Promise<CampaignDeployer> {
  if (settings.target === 'oracle') {
    // env.ts refuses TARGET=oracle without the three ORACLE_* settings, so `oracle` is set here.
    const oracle = settings.oracle;
    if (!oracle)
      throw new Error('TARGET=oracle needs ORACLE_USER, ORACLE_PASSWORD and ORACLE_CONNECT_STRING');
    return deployerOver(await openDeployTarget({ kind: 'oracle', ...oracle }));
  }
  const databaseUrl = settings.targetDatabaseUrl ?? storeUrl;
  return deployerOver(await openDeployTarget({ kind: 'postgres', databaseUrl }));
}

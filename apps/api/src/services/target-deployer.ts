import { type DeployTarget, deployCampaign, openDeployTarget } from '@campaigns/db';
import type { Settings } from '../env';
import type { CampaignDeployer } from './campaign-deployer';

/** The API's deployer over a @campaigns/db deploy target (deploy semantics live in db's deployCampaign). */
export function deployerOver(target: DeployTarget): CampaignDeployer {
  return {
    kind: target.name,
    async deploy(request) {
      const { tables, ...result } = await deployCampaign(target, request);
      return { result, tables };
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
    lastContacts: (iins, options) => target.lastContacts(iins, options),
    async ping() {
      await target.largestCodes();
    },
    close: () => target.close(),
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

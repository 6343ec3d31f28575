import type { DeployTarget } from './deploy-target';
import type { OracleSettings, OracleTargetOptions } from './oracle/oracle-target';
import { PostgresTarget, type PostgresTargetOptions } from './postgres/postgres-target';

/** Which deploy target to open: the PostgreSQL twin by URL, or Oracle through a Thin-mode pool. */
export type DeployTargetSettings =
  | ({ kind: 'postgres'; databaseUrl: string } & PostgresTargetOptions)
  | ({ kind: 'oracle' } & OracleSettings & OracleTargetOptions);

export async function openDeployTarget(settings: DeployTargetSettings): Promise<DeployTarget> {
  if (settings.kind === 'postgres') return PostgresTarget.open(settings.databaseUrl, settings);
  const { OracleTarget } = await import('./oracle/oracle-target');
  return OracleTarget.connect(settings, settings);
}

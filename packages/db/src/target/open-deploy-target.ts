import type { DeployTarget } from './deploy-target';
import type { OracleSettings, OracleTargetOptions } from './oracle/oracle-target';
import { PgliteTarget, type PgliteTargetOptions } from './pglite/pglite-target';

/** Which deploy target to open: the embedded twin in a directory, or Oracle through a Thin-mode pool. */
export type DeployTargetSettings =
  | ({ kind: 'pglite'; dataDir: string } & PgliteTargetOptions)
  | ({ kind: 'oracle' } & OracleSettings & OracleTargetOptions);

export async function openDeployTarget(settings: DeployTargetSettings): Promise<DeployTarget> {
  if (settings.kind === 'pglite') return PgliteTarget.open(settings.dataDir, settings);
  const { OracleTarget } = await import('./oracle/oracle-target');
  return OracleTarget.connect(settings, settings);
}

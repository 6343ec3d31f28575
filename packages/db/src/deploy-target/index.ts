// The deploy target: the seed's six tables behind one port, with the PostgreSQL twin and Oracle adapters,
// code allocation and the deploy semantics.
export type { AllocatedCodes, CodeReservations } from './code-allocation';
export { allocateCampaignCodes, CodeAllocationConflictError, nextCampaignCodes } from './code-allocation';
export type {
  DeploymentResult,
  DeployProgress,
  DeployRequest,
  SeedDeploymentResult,
  TableOutcome,
  TableOutcomeStatus,
} from './deploy';
export { deployCampaign } from './deploy';
export type {
  DeletedRows,
  DeployedCampaign,
  DeployedCampaignPage,
  DeployTarget,
  LargestCodes,
  MetadataRow,
  TargetMetadata,
  UserRows,
} from './deploy-target';
export { DeployTargetError, isDeployTargetError } from './deploy-target-error';
export { LAST_CONTACT_MAX_IINS, type LastContact, type LastContactOptions } from './last-contacts';
export type { DeployTargetSettings } from './open-deploy-target';
export { openDeployTarget } from './open-deploy-target';
export type { PostgresTargetOptions } from './postgres/postgres-target';
export { PostgresTarget } from './postgres/postgres-target';
export type { TwinClient, TwinQueryable } from './postgres/twin-client';
export { poolTwinClient } from './postgres/twin-client';
export type { RetryPolicy } from './retry';
export { defaultRetryPolicy } from './retry';
export * from './tables';

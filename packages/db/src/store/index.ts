// The app store: users, sessions, API tokens, campaigns and their audiences, codes, approvals, deployments,
// notifications and the audit log, on PostgreSQL.
export type { ApiToken, ApiTokenWithOwner } from './api-token-store';
export { ApiTokenStore } from './api-token-store';
export type { ApprovalDecision, NewApprovalDecision } from './approval-decision-store';
export { ApprovalDecisionStore } from './approval-decision-store';
export type { AudienceSnapshot } from './audience-snapshot-store';
export { AudienceSnapshotStore } from './audience-snapshot-store';
export type { AuditEntry, NewAuditEntry } from './audit-log';
export { AuditLog } from './audit-log';
export type {
  Campaign,
  CampaignPatch,
  CampaignQuery,
  CampaignSortKey,
  CampaignSummary,
  NewCampaign,
} from './campaign-store';
export { CampaignStore, campaignSortKeys } from './campaign-store';
export type { ChangeChannel } from './change-feed';
export { ChangeFeed, changeChannels, publishChange } from './change-feed';
export type { CodeReservation } from './code-reservation-store';
export { CodeReservationStore, reservationPatterns } from './code-reservation-store';
export type { Repositories, Store } from './create-store';
export { createStore } from './create-store';
export type { StoreDatabase, StoreOptions } from './database';
export type { DeploymentRecord, NewDeploymentRecord } from './deployment-store';
export { DeploymentStore } from './deployment-store';
export type { IdempotencyClaim } from './idempotency-key-store';
export { IdempotencyKeyStore } from './idempotency-key-store';
export type { EncodedIinSnapshot } from './iin-snapshot-codec';
export { decodeIinSnapshot, encodeIinSnapshot, snapshotSha256 } from './iin-snapshot-codec';
export { JOB_ERROR_CODES, type JobErrorCode } from './job-error-codes';
export type { JobRecord } from './job-store';
export { JobStore } from './job-store';
export type { AttemptAdmission, ThrottleKey } from './login-attempt-store';
export { LoginAttemptStore } from './login-attempt-store';
export type { NewNotification, Notification } from './notification-store';
export { NotificationStore } from './notification-store';
export type {
  DeploymentStatus,
  JobStatus,
  ReservationKind,
  SnapshotKind,
  UserRole,
} from './schema';
export {
  jobStatuses,
  reservationKinds,
  snapshotKinds,
  userRoles,
} from './schema';
export type { Session, SessionWithUser } from './session-store';
export { SessionStore } from './session-store';
export type { StoredUpload } from './upload-store';
export { UploadStore } from './upload-store';
export type { AccessChange, AccessChangeOutcome, NewUser, User, UserCredentials } from './user-store';
export { UserStore } from './user-store';

import type { JobRecord, SeedDeploymentResult, UploadListing, UploadSummary } from '@campaigns/db';
import type { ErrorCode } from '../errors';
import type { AudiencePreview } from './campaign-preview';

// What each kind of job answers when it succeeds, declared once: the runner's work returns it, the job row
// holds it, and the SPA reads it through `jobs.get` / `jobs.watch` (RouterOutputs), never from a copy.

/** `upload`: a parsed file (or a product selection), kept under `upload_id` for preview and create. */
export type UploadJobResult = UploadSummary &
  UploadListing & {
    upload_id: string;
    filename: string;
    /** By product only: the products asked for, holders of each, and those the dataset does not hold. */
    products?: string[];
    holders?: Record<string, number>;
    unknown_products?: string[];
  };

/** `filter`: the preview's funnel, as `audiences.preview` answers it. */
export type FilterJobResult = AudiencePreview;

/** `deploy`: the seed's deployment result. */
export interface DeployJobResult {
  deployment: SeedDeploymentResult;
}

export interface JobResults {
  upload: UploadJobResult;
  filter: FilterJobResult;
  deploy: DeployJobResult;
}

export type JobKind = keyof JobResults;

type JobFields = Omit<JobRecord, 'ownerId' | 'startedAt' | 'finishedAt' | 'kind' | 'result' | 'errorCode'> & {
  startedAt: string;
  finishedAt: string | null;
  /** A failed job's stable code (UPLOAD.NOT_A_TABLE, ...; errors.ts), with `errorDetails`; null otherwise. */
  errorCode: ErrorCode | null;
};

/**
 * A job as the API answers it: the store's record, times as ISO strings, without its owner; one member per
 * kind, so `kind` tells what `result` holds (null until it succeeds).
 */
export type JobView = {
  [K in JobKind]: JobFields & { kind: K; result: JobResults[K] | null };
}[JobKind];

/** The job of one kind. */
export type JobOf<K extends JobKind> = Extract<JobView, { kind: K }>;

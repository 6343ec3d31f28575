// Allocating the next campaign code (and RB3 XLS_OW_ID): 1 + the largest over both metadata tables and our own
// reservations (core's rules), claimed through the reservations' unique constraint and retried on conflict.

import { nextCampaignCode, nextXlsOwId } from '@campaigns/core';
import type { CampaignType } from '@campaigns/core/rules';
import type { LargestCodes } from './deploy-target';

/** What allocation needs of the app store (CodeReservationStore fits). */
export interface CodeReservations {
  largest(kind: 'campaign_code' | 'xls_ow_id'): Promise<string | null>;
  tryReserve(
    kind: 'campaign_code' | 'xls_ow_id',
    value: string,
    campaignId?: string | null,
  ): Promise<boolean>;
}

export interface AllocatedCodes {
  campaign_code: string;
  /** RB3 only. */
  xls_ow_id: string | null;
}

export class CodeAllocationConflictError extends Error {
  override readonly name = 'CodeAllocationConflictError';
}

const MAX_ATTEMPTS = 200;

const jitter = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5));

async function reserveNext(
  reservations: CodeReservations,
  kind: 'campaign_code' | 'xls_ow_id',
  largestInTarget: string | null,
  next: (existing: Iterable<string>) => string,
): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const largestReserved = await reservations.largest(kind);
    // next*() throws the typed CAMPAIGN.*_EXHAUSTED error when the space has run out; that is not retried.
    const candidate = next([largestInTarget, largestReserved].filter((v): v is string => v !== null));
    if (await reservations.tryReserve(kind, candidate)) return candidate;
    await jitter(); // someone else took it: look again
  }
  throw new CodeAllocationConflictError(`could not reserve a ${kind} after ${MAX_ATTEMPTS} attempts`);
}

/**
 * Reserves the next code(s) for a new campaign, given the largest codes the caller read from the target once;
 * reservations (made by every instance before anything is deployed) settle races between instances. Values in,
 * codes out: the allocation never calls back into the caller.
 */
export async function allocateCampaignCodes(
  largest: LargestCodes,
  reservations: CodeReservations,
  kind: CampaignType,
): Promise<AllocatedCodes> {
  const campaign_code = await reserveNext(
    reservations,
    'campaign_code',
    largest.campaignCode,
    nextCampaignCode,
  );
  const xls_ow_id =
    kind === 'RB3' ? await reserveNext(reservations, 'xls_ow_id', largest.xlsOwId, nextXlsOwId) : null;
  return { campaign_code, xls_ow_id };
}

/** The codes the next campaign would get, reserving nothing (the seed's code preview endpoints). */
export async function nextCampaignCodes(
  largest: LargestCodes,
  reservations: Pick<CodeReservations, 'largest'>,
  kind: CampaignType,
): Promise<AllocatedCodes> {
  const known = (...codes: Array<string | null>) => codes.filter((c): c is string => c !== null);
  const campaign_code = nextCampaignCode(
    known(largest.campaignCode, await reservations.largest('campaign_code')),
  );
  const xls_ow_id =
    kind === 'RB3' ? nextXlsOwId(known(largest.xlsOwId, await reservations.largest('xls_ow_id'))) : null;
  return { campaign_code, xls_ow_id };
}

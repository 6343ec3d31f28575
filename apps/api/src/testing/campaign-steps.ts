// Steps API tests take on the way to what they check (the approval workflow, jobs), written once.
import type { Store } from '@campaigns/db';
import { type Browser, eventually, json } from './http-client';
import type { SignedInClient } from './trpc-client';

/** What an approval binds to: the campaign's code and the content hash the approver was shown. */
interface Submitted {
  campaign_code: string;
  content_hash: string | null;
}

/**
 * Over HTTP as the SPA sends it: the marketer creates and submits `request`, the approver approves what was
 * submitted. Returns the created campaign and the approval's answer.
 */
export async function submitAndApprove(marketer: Browser, approver: Browser, request: object) {
  const created = await json(await marketer.trpc('campaigns.create', { ...request, submit: true }));
  const { campaign_code: code, content_hash } = created.result.data.campaign;
  const approved = await json(await approver.trpc('approvals.approve', { code, content_hash }));
  return { campaign: created.result.data.campaign, approval: approved.result.data };
}

/** The approver approves the campaign as it was submitted (its content hash then). */
export function approveAsSubmitted(approver: SignedInClient, campaign: Submitted) {
  return approver.approvals.approve.mutate({
    code: campaign.campaign_code,
    content_hash: campaign.content_hash ?? '',
  });
}

/** The campaign as `reader` reads it once its deploy (a background job) has landed. */
export function deployedCampaign(reader: SignedInClient, code: string) {
  return eventually(async () => {
    const campaign = await reader.campaigns.get.query({ code });
    return campaign.workflow_status === 'deployed' ? campaign : undefined;
  });
}

/** The stored campaign once its deploy has landed, whichever instance ran it. */
export function deployedInStore(store: Store, code: string, timeoutMs?: number) {
  return eventually(async () => {
    const campaign = await store.campaigns.findByCode(code);
    return campaign?.status === 'deployed' ? campaign : undefined;
  }, timeoutMs);
}

/** A job (upload, filter, deploy) as `reader` reads it over jobs.get once it no longer runs. */
export function finishedJob(reader: Browser, id: string) {
  return eventually(async () => {
    const job = (await json(await reader.trpcQuery('jobs.get', { id }))).result.data;
    return job.status === 'running' ? undefined : job;
  });
}

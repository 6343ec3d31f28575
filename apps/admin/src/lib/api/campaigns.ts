import { api, type RouterInputs } from './client';

// Every call about campaigns and their approval that pages and components make, so .svelte files hold no
// request code (the wizard's calls are in its wizard-api.ts, the administration page's in admin-api.ts).

export type CampaignListQuery = Exclude<RouterInputs['campaigns']['list'], void>;
export type ApprovalInput = RouterInputs['approvals']['approve'];

export const listCampaigns = (query: CampaignListQuery) => api.campaigns.list.query(query);
export const campaign = (code: string) => api.campaigns.get.query({ code });
export const campaignHistory = (code: string) => api.campaigns.history.query({ code });
export const submitCampaign = (code: string) => api.campaigns.submit.mutate({ code });
/** Starts the deploy job; resolves with the job to follow. */
export const deployCampaign = async (code: string) => (await api.campaigns.deploy.mutate({ code })).job;
export const duplicateCampaign = (code: string) => api.campaigns.duplicate.mutate({ code });
export const exportAudience = (code: string) => api.campaigns.exportAudience.mutate({ code });
export const deleteCampaign = (code: string, reason: string) =>
  api.campaigns.delete.mutate({ code, ...(reason ? { reason } : {}) });
/** A new random draw of the final audience (each draw is audited). */
export const drawAudienceSample = (code: string, size: number) =>
  api.campaigns.audienceSample.mutate({ code, size });

export const pendingApprovals = () => api.approvals.pending.query();
export const approveCampaign = (input: ApprovalInput) => api.approvals.approve.mutate(input);
export const rejectCampaign = (code: string, comment: string) =>
  api.approvals.reject.mutate({ code, comment });

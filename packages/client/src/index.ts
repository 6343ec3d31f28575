// Public entry point of @campaigns/client.
export { type CampaignClient, type CampaignClientOptions, createCampaignClient } from './create-client';
export { type CampaignClientError, errorCode, errorIssues, isCampaignClientError } from './errors';
export type { AppRouter, RouterInputs, RouterOutputs } from './router';

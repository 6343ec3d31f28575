// Public entry point of @campaigns/client.
export { type CampaignClient, type CampaignClientOptions, createCampaignClient } from './create-client';
export {
  type CampaignClientError,
  errorCode,
  errorIssues,
  type InputIssue,
  isCampaignClientError,
  type TRPCErrorCode,
} from './errors';
export type { AppRouter, ErrorCode, RouterInputs, RouterOutputs } from './router';

import type { Campaign } from '@campaigns/db';
import { ApiError } from '../errors';

export function notFound(code: string): ApiError {
  return new ApiError('CAMPAIGN.NOT_FOUND', `No campaign ${code}.`);
}

export function conflict(campaign: Campaign, action: string): ApiError {
  return new ApiError(
    'CAMPAIGN.INVALID_STATE',
    `Cannot ${action} ${campaign.code}: it is ${campaign.status}.`,
    {
      status: campaign.status,
    },
  );
}

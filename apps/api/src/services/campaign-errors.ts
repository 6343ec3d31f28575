import { type DomainError, domainError } from '@campaigns/core';
import type { Campaign } from '@campaigns/db';

export function notFound(code: string): DomainError {
  return domainError('CAMPAIGN.NOT_FOUND', `No campaign ${code}.`);
}

export function conflict(campaign: Campaign, action: string): DomainError {
  return domainError(
    'CAMPAIGN.INVALID_STATE',
    `Cannot ${action} ${campaign.code}: it is ${campaign.status}.`,
    {
      status: campaign.status,
    },
  );
}

import { domainError } from '@campaigns/core';
import type { Campaign } from '@campaigns/db';
import type { Actor } from './actor';

/**
 * Who may see a campaign's clients (its audience export, its audience sample): the author, approvers and
 * admins. Other marketers may read the campaign, not the people in it.
 */
export function assertMaySeeAudience(actor: Actor, campaign: Campaign, what: string): void {
  if (actor.role !== 'approver' && actor.role !== 'admin' && campaign.authorId !== actor.userId)
    throw domainError('CAMPAIGN.FORBIDDEN', `Only the author, approvers and admins can see ${what}.`);
}

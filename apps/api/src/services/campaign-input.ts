import {
  campaignTypeSchema,
  deployOptionsSchema,
  filterConfigSchema,
  MAX_CONTROL_SHARE,
} from '@campaigns/core';
import { z } from 'zod';
import { type IinListInput, iinListSchema } from './iin-list';

// The seed's POST /campaigns/create body, shared by the REST endpoint and the tRPC procedures. Metadata is
// validated per campaign type by core's schemas inside the service (the rule the admin form uses too).

/** Ours, beyond the seed: a stratified control group (share of the final audience), off by default. */
export const controlGroupSchema = z
  .object({
    share: z.number().min(0).max(MAX_CONTROL_SHARE),
    strata: z.enum(['sex_age']).default('sex_age'),
  })
  .strict();

/** Ours: the whole client base (the registry's client list) as the audience, as the seed's query builder did. */
export const allClients = z.literal(true).optional();

/** Where a campaign's audience comes from: one of these, and only one. */
export interface AudienceSource {
  user_iins?: IinListInput | undefined;
  upload_id?: string | undefined;
  all_clients?: true | undefined;
}

/** The create body's fields; `createCampaignSchema` adds the one-audience-source rule. */
export const createCampaignObject = z.object({
  campaign_type: campaignTypeSchema,
  metadata: z.record(z.string(), z.unknown()),
  /** The seed's IIN list; or, ours, `upload_id` of a file parsed by `audiences.upload`, or all clients. */
  user_iins: iinListSchema.optional(),
  upload_id: z.uuid().optional(),
  all_clients: allClients,
  filter_config: filterConfigSchema.prefault({}),
  deploy_options: deployOptionsSchema.prefault({}),
  control_group: controlGroupSchema.optional(),
  /** Ours: deploy no earlier than this instant once approved (ISO 8601 with offset). */
  deploy_at: z.iso.datetime({ offset: true }).optional(),
});

/** How many audience sources a request names (the IIN list, an upload, all clients). */
export function audienceSources(value: AudienceSource): number {
  return [value.user_iins, value.upload_id, value.all_clients].filter((v) => v !== undefined).length;
}
export function hasOneAudienceSource(value: AudienceSource): boolean {
  return audienceSources(value) === 1;
}
export const oneAudienceSourceMessage = {
  message:
    'Send user_iins (a list of IINs), upload_id (an uploaded file) or all_clients: true (every client), exactly one of them.',
  path: ['user_iins'],
};

export const createCampaignSchema = createCampaignObject.refine(
  hasOneAudienceSource,
  oneAudienceSourceMessage,
);
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;
export type CreateCampaignRequest = z.output<typeof createCampaignSchema>;

/** An edit of a campaign; every part optional (the audience only when the list changes). */
export const updateCampaignSchema = z.object({
  code: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  user_iins: iinListSchema.optional(),
  upload_id: z.uuid().optional(),
  all_clients: allClients,
  filter_config: filterConfigSchema.optional(),
  deploy_options: deployOptionsSchema.optional(),
  control_group: controlGroupSchema.nullable().optional(),
  deploy_at: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type UpdateCampaignRequest = z.output<typeof updateCampaignSchema>;

/** An edit names at most one new audience source (none: the saved audience stays). */
export const updateCampaignRequestSchema = updateCampaignSchema.refine((v) => audienceSources(v) <= 1, {
  message: 'Send at most one of user_iins, upload_id and all_clients.',
  path: ['user_iins'],
});

import { campaignTypeSchema, inputIssueSchema, rb1MetadataSchema, rb3MetadataSchema } from '@campaigns/core';
import { z } from 'zod';
import { REGISTERED } from '../errors';
import { createCampaignSchema } from '../services/campaign-input';

// The seed's REST shapes as zod schemas: the routes validate their input with these and type their answers
// with them, and the OpenAPI document (openapi.ts) is generated from them.

/** Named shapes, each a component of the OpenAPI document; requests are described as sent, answers as sent. */
export const requestSchemas = z.registry<{ id: string }>();
export const responseSchemas = z.registry<{ id: string }>();

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  campaign_type: campaignTypeSchema.optional(),
});

export const deleteQuerySchema = z.object({
  reason: z
    .string()
    .trim()
    .max(1000)
    .optional()
    .describe('Why the campaign is deleted (kept in its audit trail).'),
});

/** The create body as documented: its metadata is checked by core's schema for the campaign type. */
export const createCampaignDocument = createCampaignSchema
  .safeExtend({
    metadata: z
      .union([rb1MetadataSchema, rb3MetadataSchema])
      .describe("The campaign's metadata; RB3 adds bonus and characteristic_json."),
  })
  .register(requestSchemas, { id: 'CreateCampaignRequest' });

const isoInstant = z.iso.datetime({ offset: true });

export const nextCodeResponse = z
  .object({
    campaign_code: z.string().regex(/^C[0-9]{9}$/),
    campaign_type: campaignTypeSchema,
    xls_ow_id: z
      .string()
      .regex(/^KKB_[0-9]{4}$/)
      .optional(),
    generated_at: isoInstant,
    provisional: z
      .literal(true)
      .optional()
      .describe('The database could not be reached: a timestamp-based code that is never written.'),
  })
  .strict()
  .register(responseSchemas, { id: 'NextCode' });

const filterStats = z
  .record(z.string(), z.number())
  .describe('initial_count, after_X and X_removed per applied step, final_count, total_removed.')
  .register(responseSchemas, { id: 'FilterStats' });

// Stored as the pipeline made them; each has step, dataset, code and message.
const warning = z
  .unknown()
  .describe('A filter warning: step, dataset, code (e.g. DATASET.MISSING) and message.');

export const deploymentResult = z
  .object({
    campaign_code: z.string(),
    tables_updated: z.array(z.string()),
    total_users: z.number().int(),
    errors: z.array(z.string()).describe('One `table: message` per table that failed.'),
    success: z.boolean(),
  })
  .strict()
  .register(responseSchemas, { id: 'DeploymentResult' });

export const createCampaignResponse = z
  .object({
    success: z.boolean(),
    campaign_code: z.string(),
    campaign_type: campaignTypeSchema,
    xls_ow_id: z.string().optional(),
    filter_stats: filterStats,
    deployment_result: deploymentResult
      .nullable()
      .describe('null while the campaign waits for approval (APPROVAL_REQUIRED=true).'),
    message: z.string(),
    status: z.string().describe('The workflow status: pending_approval, deployed, deploy_failed, ...'),
    warnings: z.array(warning),
    idempotent_replay: z.boolean().optional().describe('The first answer to this Idempotency-Key.'),
  })
  .strict()
  .register(responseSchemas, { id: 'CreateCampaignResponse' });

const campaignListItem = z
  .object({
    campaign_code: z.string(),
    campaign_type: campaignTypeSchema,
    campaign_name: z.string(),
    stream: z.string(),
    channel: z.string(),
    date_start: z.string(),
    date_end: z.string(),
    user_count: z.number().int(),
    created_at: isoInstant,
    status: z.string().describe('Active, Scheduled or Finished once deployed; else the workflow status.'),
    workflow_status: z.string(),
  })
  .strict()
  .register(responseSchemas, { id: 'CampaignListItem' });

export const campaignListResponse = z
  .object({
    campaigns: z.array(campaignListItem),
    total_count: z.number().int(),
    rb1_count: z.number().int(),
    rb3_count: z.number().int(),
  })
  .strict()
  .register(responseSchemas, { id: 'CampaignList' });

export const campaignDetailsResponse = campaignListItem
  .safeExtend({
    xls_ow_id: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    filter_config: z.record(z.string(), z.unknown()),
    filter_stats: filterStats,
    warnings: z.array(warning),
    deploy_options: z.record(z.string(), z.boolean()),
    content_hash: z.string().nullable(),
    author: z.string().nullable(),
    updated_at: isoInstant,
    deploy_at: isoInstant.nullable(),
    deployed_at: isoInstant.nullable(),
    deployment_result: deploymentResult.nullable(),
  })
  .strict()
  .register(responseSchemas, { id: 'CampaignDetails' });

export const deleteCampaignResponse = z
  .object({
    success: z.boolean(),
    campaign_code: z.string(),
    tables_cleaned: z.array(z.string()),
    message: z.string(),
  })
  .strict()
  .register(responseSchemas, { id: 'DeleteCampaignResult' });

inputIssueSchema.register(responseSchemas, { id: 'InputIssue' });

/** Every REST error: FastAPI's `detail` (the seed's service), our stable code, and each field refused. */
export const errorResponse = z
  .object({
    detail: z.string(),
    // Every registered code (errors.ts), and INTERNAL for an unexpected failure (500).
    code: z.enum([...Object.keys(REGISTERED), 'INTERNAL']).describe('The stable code of the refusal.'),
    issues: z
      .array(inputIssueSchema)
      .optional()
      .describe('Every field refused (not only the first), each with its rule and limit.'),
  })
  .strict()
  .register(responseSchemas, { id: 'Error' });

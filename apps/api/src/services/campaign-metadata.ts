import {
  type CampaignMetadata,
  type CampaignType,
  domainError,
  formatMetadataIssues,
  metadataSchemaFor,
} from '@campaigns/core';

/** The metadata normalised by core's schema (the admin form's rule), or a 400 naming every bad field. */
export function validateMetadata(type: CampaignType, raw: unknown): CampaignMetadata {
  const parsed = metadataSchemaFor(type).safeParse(raw);
  if (parsed.success) return parsed.data;
  // Each with its rule and limit, so a form words it beside the field's label.
  const issues = formatMetadataIssues(parsed.error).map((issue) => ({
    ...issue,
    field: issue.field ? `metadata.${issue.field}` : 'metadata',
  }));
  throw domainError(
    'CAMPAIGN.INVALID_METADATA',
    `The ${type} metadata is not valid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

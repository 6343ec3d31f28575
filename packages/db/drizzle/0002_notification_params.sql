ALTER TABLE "notifications" ADD COLUMN "params" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Rows written before the column: their params, from the campaign and from the body the API's notifier wrote.
UPDATE "notifications" AS n SET "params" = jsonb_strip_nulls(jsonb_build_object(
  'code', c."code",
  'name', c."metadata"->>'campaign_name',
  'campaign_type', c."campaign_type",
  'comment', CASE WHEN n."kind" IN ('campaign.approved', 'campaign.rejected') AND n."body" <> '' THEN n."body" END,
  'users', CASE WHEN n."kind" = 'campaign.deployed' THEN substring(n."body" from '^([0-9]+) users')::int END,
  'errors', CASE WHEN n."kind" = 'campaign.deploy_failed' THEN n."body" END
)) FROM "campaigns" AS c WHERE c."id" = n."campaign_id";

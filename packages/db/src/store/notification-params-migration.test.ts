// Migration 0002 adds notifications.params: rows written before it get their params from their campaign and the
// body the API's notifier wrote, so an inbox read after the upgrade words them as before.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTempDatabase } from '../server/test-databases';

const migration = (file: string) =>
  readFileSync(new URL(`../../drizzle/${file}`, import.meta.url), 'utf8').split('--> statement-breakpoint');

describe('migration 0002 (notification params)', () => {
  it('fills params of older notifications from their campaign and body', async () => {
    const database = await createTempDatabase({ migrated: false });
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    for (const file of ['0000_init.sql', '0001_audit_log_append_only.sql'])
      for (const statement of migration(file)) await db.query(statement);
    const [user] = (
      await db.query<{ id: string }>(
        `INSERT INTO users (username, role, password_hash) VALUES ('m', 'marketer', 'x') RETURNING id`,
      )
    ).rows;
    const [campaign] = (
      await db.query<{ id: string }>(
        `INSERT INTO campaigns (code, campaign_type, metadata, author_id)
         VALUES ('C000000042', 'RB3', '{"campaign_name":"Весна"}', $1) RETURNING id`,
        [user!.id],
      )
    ).rows;
    const rows: Array<[string, string]> = [
      ['campaign.deployed', '1234 users'],
      ['campaign.rejected', 'Укажите продукт'],
      ['campaign.approved', ''],
      ['campaign.deploy_failed', 'mb21: ORA-00001; mb22: ORA-12899'],
      ['campaign.submitted', 'Весна (RB3)'],
    ];
    for (const [kind, body] of rows) {
      await db.query(
        `INSERT INTO notifications (user_id, kind, title, body, campaign_id) VALUES ($1, $2, 'title', $3, $4)`,
        [user!.id, kind, body, campaign!.id],
      );
    }
    for (const statement of migration('0002_notification_params.sql')) await db.query(statement);
    const stored = await db.query<{ kind: string; params: Record<string, unknown> }>(
      'SELECT kind, params FROM notifications',
    );
    const paramsOf = (kind: string) => stored.rows.find((r) => r.kind === kind)?.params;
    const campaignParams = { code: 'C000000042', name: 'Весна', campaign_type: 'RB3' };
    expect(paramsOf('campaign.deployed')).toEqual({ ...campaignParams, users: 1234 });
    expect(paramsOf('campaign.rejected')).toEqual({ ...campaignParams, comment: 'Укажите продукт' });
    expect(paramsOf('campaign.approved')).toEqual(campaignParams);
    expect(paramsOf('campaign.deploy_failed')).toEqual({
      ...campaignParams,
      errors: 'mb21: ORA-00001; mb22: ORA-12899',
    });
    expect(paramsOf('campaign.submitted')).toEqual(campaignParams);
    await db.end();
    await database.drop();
  });
});

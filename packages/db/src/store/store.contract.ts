// The app store's contract, written once and run on every server it may meet (store.postgres.test.ts).
import { rb1MetadataSchema } from '@campaigns/core';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMetadata } from '../deploy-target/target.contract';
import { byteaPieceBytes } from './bytea-pieces';
import type { Campaign } from './campaign-store';
import type { Repositories, Store } from './create-store';
import { audienceSnapshots } from './schema';

/** The seed's RB1 example, as core's schema leaves it, under another name. */
const metadataNamed = (campaign_name: string) =>
  rb1MetadataSchema.parse({ ...sampleMetadata, campaign_name });

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

export function describeStoreContract(
  driver: string,
  open: () => Promise<Store>,
  shut: () => Promise<void>,
): void {
  describe(`app store contract on ${driver}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
      await shut();
    });

    const newUser = (role: 'marketer' | 'approver' | 'admin' = 'marketer') =>
      store.users.create({ username: unique(role), role, passwordHash: '$argon2id$v=19$hash' });

    const newCampaign = async (
      authorId: string,
      extra: { idempotencyKey?: string; type?: 'RB1' | 'RB3' } = {},
    ) => {
      const n = ++sequence;
      return store.campaigns.create({
        code: `C${String(900_000_000 + n).padStart(9, '0')}`,
        campaignType: extra.type ?? 'RB1',
        metadata: metadataNamed(`campaign ${n}`),
        authorId,
        idempotencyKey: extra.idempotencyKey ?? null,
      });
    };

    describe('users', () => {
      it('finds a user by id and name, and never returns the password hash outside the auth lookup', async () => {
        const user = await newUser('approver');
        expect(await store.users.findById(user.id)).toEqual(user);
        const byName = await store.users.findByUsername(user.username);
        expect(byName).toEqual(user);
        expect(Object.keys(byName!)).not.toContain('passwordHash');
        expect((await store.users.list()).every((u) => !('passwordHash' in u))).toBe(true);
        const credentials = await store.users.findCredentials(user.username);
        expect(credentials).toEqual({ user, passwordHash: '$argon2id$v=19$hash' });
        expect(await store.users.findCredentials('nobody-by-that-name')).toBeNull();
      });

      it('rejects a second user with the same username', async () => {
        const user = await newUser();
        await expect(
          store.users.create({ username: user.username, role: 'admin', passwordHash: 'x' }),
        ).rejects.toThrow();
      });

      it('changes role, password and disabled flag', async () => {
        const user = await newUser();
        // Disabled first: a newly made admin could be the store's only one, whom nothing may disable.
        expect(await store.users.changeAccess(user.id, { disabled: true })).toMatchObject({
          status: 'changed',
          before: { role: 'marketer', disabled: false },
          user: { role: 'marketer', disabled: true },
        });
        expect(await store.users.changeAccess(user.id, { role: 'admin' })).toMatchObject({
          status: 'changed',
          user: { role: 'admin', disabled: true },
        });
        expect(await store.users.changeAccess(crypto.randomUUID(), { role: 'admin' })).toEqual({
          status: 'not_found',
        });
        await store.users.setPasswordHash(user.id, 'new-hash');
        expect((await store.users.findCredentials(user.username))?.passwordHash).toBe('new-hash');
      });
    });

    describe('sessions', () => {
      it('finds a session with its user, ends all of a user’s sessions, and drops expired ones', async () => {
        const user = await newUser();
        const other = await newUser();
        const now = new Date('2030-01-01T10:00:00Z');
        const later = new Date('2030-01-01T22:00:00Z');
        await store.sessions.create({ id: unique('s1'), userId: user.id, expiresAt: later, now });
        const s2 = await store.sessions.create({ id: unique('s2'), userId: user.id, expiresAt: later, now });
        const s3 = await store.sessions.create({ id: unique('s3'), userId: other.id, expiresAt: now, now });

        const found = await store.sessions.find(s2.id);
        expect(found?.user).toEqual(user);
        expect(found?.session.expiresAt.toISOString()).toBe(later.toISOString());

        await store.sessions.touch(s2.id, new Date('2030-01-01T10:05:00Z'));
        expect((await store.sessions.find(s2.id))?.session.lastSeenAt.toISOString()).toBe(
          '2030-01-01T10:05:00.000Z',
        );

        expect(await store.sessions.deleteForUser(user.id)).toBe(2);
        expect(await store.sessions.find(s2.id)).toBeNull();
        expect(await store.sessions.deleteExpired(new Date('2030-01-01T10:00:01Z'))).toBeGreaterThanOrEqual(
          1,
        );
        expect(await store.sessions.find(s3.id)).toBeNull();
      });
    });

    describe('api tokens', () => {
      it('finds an active token by hash with its owner, and not after revocation', async () => {
        const user = await newUser('admin');
        const hash = unique('hash');
        const token = await store.apiTokens.create({
          hash,
          userId: user.id,
          name: 'etl',
          scopes: ['campaigns:read'],
        });
        const found = await store.apiTokens.findActiveByHash(hash);
        expect(found?.token).toEqual(token);
        expect(found?.user.id).toBe(user.id);
        expect(Object.keys(found!.token)).not.toContain('hash');
        await store.apiTokens.touch(token.id);
        expect((await store.apiTokens.revoke(token.id))?.revokedAt).toBeInstanceOf(Date);
        expect(await store.apiTokens.revoke(token.id)).toBeNull();
        expect(await store.apiTokens.findActiveByHash(hash)).toBeNull();
        expect((await store.apiTokens.listForUser(user.id))[0]?.lastUsedAt).toBeInstanceOf(Date);
      });
    });

    describe('campaigns', () => {
      it('returns the first campaign for a repeated idempotency key, even when the repeats race', async () => {
        const author = await newUser();
        const key = unique('idem');
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.campaigns.create({
              code: `C${String(800_000_000 + ++sequence * 10 + i).padStart(9, '0')}`,
              campaignType: 'RB1',
              metadata: metadataNamed('campaign'),
              authorId: author.id,
              idempotencyKey: key,
            }),
          ),
        );
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.campaign.id)).size).toBe(1);
        // The same key from another author is another campaign.
        const other = await newUser();
        expect((await newCampaign(other.id, { idempotencyKey: key })).created).toBe(true);
      });

      it('rejects a second campaign with the same code', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        await expect(
          store.campaigns.create({
            code: campaign.code,
            campaignType: 'RB1',
            metadata: metadataNamed('campaign'),
            authorId: author.id,
          }),
        ).rejects.toThrow();
      });

      it('lists newest first with paging, a total and a type filter', async () => {
        const author = await newUser();
        for (const type of ['RB1', 'RB3', 'RB1'] as const) await newCampaign(author.id, { type });
        const all = await store.campaigns.list({ authorId: author.id });
        expect(all.total).toBe(3);
        const page = await store.campaigns.list({ authorId: author.id, limit: 2, offset: 2 });
        expect(page.campaigns).toHaveLength(1);
        expect(page.total).toBe(3);
        const rb3 = await store.campaigns.list({ authorId: author.id, campaignType: 'RB3' });
        expect(rb3.campaigns.map((c) => c.campaignType)).toEqual(['RB3']);
        const counts = await store.campaigns.countByType();
        expect(counts.RB1).toBeGreaterThanOrEqual(2);
        expect(counts.RB3).toBeGreaterThanOrEqual(1);
      });

      it('searches code and name in any case (wildcards literal), in either creation order', async () => {
        const author = await newUser();
        const made = [];
        for (const name of ['Весенняя акция', 'Кешбэк 100%', 'весенний_кредит']) {
          const { campaign } = await newCampaign(author.id);
          made.push(await store.campaigns.update(campaign.id, { metadata: metadataNamed(name) }));
        }
        const codes = (r: { campaigns: Campaign[] }) => r.campaigns.map((c) => c.code);
        const spring = await store.campaigns.list({ authorId: author.id, search: 'ВЕСЕНН' });
        expect(codes(spring)).toEqual([made[2]!.code, made[0]!.code]);
        expect(spring.total).toBe(2);
        const oldest = await store.campaigns.list({
          authorId: author.id,
          search: 'весенн',
          sort: 'created',
          order: 'asc',
        });
        expect(codes(oldest)).toEqual([made[0]!.code, made[2]!.code]);
        expect(codes(await store.campaigns.list({ authorId: author.id, search: '100%' }))).toEqual([
          made[1]!.code,
        ]);
        // `_` and `%` are literal: 'й_к' matches only the name holding an underscore there.
        expect(codes(await store.campaigns.list({ authorId: author.id, search: 'й_к' }))).toEqual([
          made[2]!.code,
        ]);
        expect((await store.campaigns.list({ authorId: author.id, search: '%' })).total).toBe(1);
        const byCode = await store.campaigns.list({
          authorId: author.id,
          search: made[1]!.code.slice(3).toLowerCase(),
        });
        expect(codes(byCode)).toEqual([made[1]!.code]);
        const page = await store.campaigns.list({ authorId: author.id, search: 'е', limit: 1, offset: 5 });
        expect(page).toEqual({ campaigns: [], total: 3 });
      });

      it('moves status only from an expected state (compare-and-set)', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        expect(campaign.status).toBe('draft');
        const submitted = await store.campaigns.transition(campaign.id, {
          from: ['draft'],
          to: 'pending_approval',
        });
        expect(submitted?.status).toBe('pending_approval');
        const [a, b] = await Promise.all([
          store.campaigns.transition(campaign.id, { from: ['pending_approval'], to: 'approved' }),
          store.campaigns.transition(campaign.id, { from: ['pending_approval'], to: 'rejected' }),
        ]);
        expect([a, b].filter(Boolean)).toHaveLength(1);
        const updated = await store.campaigns.update(campaign.id, {
          contentHash: 'abc',
          filterStats: { final_count: 2 },
        });
        expect(updated?.contentHash).toBe('abc');
        expect(updated?.filterStats).toEqual({ final_count: 2 });
        expect((await store.campaigns.findByCode(campaign.code))?.id).toBe(campaign.id);
      });
    });

    describe('audience snapshots', () => {
      it('keeps an audience compactly and gives back the same sorted IINs and hash', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        const iins = Float64Array.from({ length: 50_000 }, (_, i) => 900_101_300_007 + i * 37);
        const shuffled = Float64Array.from(iins).reverse();
        const saved = await store.snapshots.save({ campaignId: campaign.id, kind: 'target', iins: shuffled });
        expect(saved.count).toBe(50_000);
        expect(await store.snapshots.loadIins(saved.id)).toEqual(iins);
        const again = await store.snapshots.save({ campaignId: campaign.id, kind: 'input', iins });
        expect(again.sha256).toBe(saved.sha256);
        expect((await store.snapshots.latest(campaign.id, 'target'))?.id).toBe(saved.id);
        expect(await store.snapshots.latest(campaign.id, 'control')).toBeNull();
        const [size] = await store.db
          .select({ n: sql<number>`octet_length(${audienceSnapshots.iins})` })
          .from(audienceSnapshots)
          .where(eq(audienceSnapshots.id, saved.id));
        // 50,000 IINs as 12-character text would take 600 kB; delta-encoded and deflated they take far less.
        expect(Number(size?.n)).toBeLessThan(50_000 * 2);
        // Encoded and decoded in the codec's worker, not on this thread (issue 13, item 3).
        expect(store.codec.workersStarted).toBe(1);
      });

      it('gives back a snapshot whose bytes span several pieces (bytea-pieces.ts) whole', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        // Random steps of up to 2^20 barely compress: ~3 bytes per IIN, several 256 KiB pieces.
        let seed = 7;
        let iin = 0;
        const iins = Float64Array.from({ length: 200_000 }, () => {
          seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
          iin += 1 + (seed >>> 12);
          return iin;
        });
        const saved = await store.snapshots.save({ campaignId: campaign.id, kind: 'input', iins });
        const [size] = await store.db
          .select({ n: sql<number>`octet_length(${audienceSnapshots.iins})` })
          .from(audienceSnapshots)
          .where(eq(audienceSnapshots.id, saved.id));
        expect(Number(size?.n)).toBeGreaterThan(2 * byteaPieceBytes);
        expect(await store.snapshots.loadIins(saved.id)).toEqual(iins);
      });

      it('refuses a snapshot whose bytes no longer match the sha256 an approval binds to, naming it', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        const approved = await store.snapshots.save({
          campaignId: campaign.id,
          kind: 'target',
          iins: [900101300007, 900101300811],
        });
        const other = await store.snapshots.save({
          campaignId: campaign.id,
          kind: 'input',
          iins: [900101300007, 950101400123],
        });
        // Another audience's bytes, of the same count, under the approved row (a restore gone wrong, a hand edit).
        const [bytes] = await store.db
          .select({ iins: audienceSnapshots.iins })
          .from(audienceSnapshots)
          .where(eq(audienceSnapshots.id, other.id));
        await store.db
          .update(audienceSnapshots)
          .set({ iins: bytes!.iins })
          .where(eq(audienceSnapshots.id, approved.id));
        await expect(store.snapshots.loadIins(approved.id)).rejects.toThrow(
          `audience snapshot ${approved.id}: snapshot bytes do not match their sha256 ${approved.sha256}`,
        );
        expect(await store.snapshots.loadIins(other.id)).toEqual(
          Float64Array.from([900101300007, 950101400123]),
        );
      });
    });

    describe('code reservations', () => {
      it('reserves a value once and reports the largest of the exact shape only', async () => {
        const value = `C${String(700_000_000 + ++sequence).padStart(9, '0')}`;
        expect(await store.codeReservations.tryReserve('campaign_code', value)).toBe(true);
        expect(await store.codeReservations.tryReserve('campaign_code', value)).toBe(false);
        expect(await store.codeReservations.tryReserve('campaign_code', 'C99999999999')).toBe(true);
        const largest = await store.codeReservations.largest('campaign_code');
        expect(largest).toMatch(/^C[0-9]{9}$/);
        expect(largest! >= value).toBe(true);
        expect(await store.codeReservations.tryReserve('xls_ow_id', 'KKB_10000')).toBe(true);
        const xls = await store.codeReservations.largest('xls_ow_id');
        expect(xls === null || /^KKB_[0-9]{4}$/.test(xls)).toBe(true);
      });
    });

    describe('approvals, deployments, notifications', () => {
      it('records decisions, per-table deployment results by attempt, and a per-user inbox', async () => {
        const author = await newUser();
        const approver = await newUser('approver');
        const { campaign } = await newCampaign(author.id);
        await store.approvals.record({
          campaignId: campaign.id,
          approverId: approver.id,
          decision: 'rejected',
          comment: 'fix the KZ text',
          contentHash: 'h1',
        });
        await store.approvals.record({
          campaignId: campaign.id,
          approverId: approver.id,
          decision: 'approved',
          contentHash: 'h2',
        });
        expect((await store.approvals.listForCampaign(campaign.id)).map((d) => d.decision)).toEqual([
          'rejected',
          'approved',
        ]);

        expect(await store.deployments.nextAttempt(campaign.id)).toBe(1);
        await store.deployments.record([
          {
            campaignId: campaign.id,
            tableName: 'dssb_ocds.mb01_camp_dict',
            status: 'written',
            rows: 1,
            ms: 3,
            error: null,
            attempt: 1,
          },
          {
            campaignId: campaign.id,
            tableName: 'spss.fd_rb2_campaigns_users',
            status: 'failed',
            rows: 0,
            ms: 9,
            error: 'fd_rb2_campaigns_users: ORA-00001: unique constraint violated',
            attempt: 1,
          },
        ]);
        expect(await store.deployments.nextAttempt(campaign.id)).toBe(2);
        expect((await store.deployments.listForCampaign(campaign.id)).map((d) => d.status)).toEqual([
          'written',
          'failed',
        ]);

        const note = await store.notifications.create({
          userId: approver.id,
          kind: 'submitted',
          title: 'Review',
          params: { code: campaign.code, name: 'Весна', users: 12 },
          campaignId: campaign.id,
        });
        expect(await store.notifications.markRead(note.id, author.id)).toBe(false);
        expect((await store.notifications.listForUser(approver.id))[0]?.params).toEqual({
          code: campaign.code,
          name: 'Весна',
          users: 12,
        });
        expect(await store.notifications.listForUser(approver.id, { unreadOnly: true })).toHaveLength(1);
        expect(await store.notifications.markRead(note.id, approver.id)).toBe(true);
        expect(await store.notifications.listForUser(approver.id, { unreadOnly: true })).toHaveLength(0);
      });
    });

    describe('audit log', () => {
      it('appends and reads, and refuses updates and deletes at the database', async () => {
        const actor = await newUser('admin');
        const entityId = unique('campaign');
        await store.audit.append({
          actorId: actor.id,
          action: 'campaign.submit',
          entityType: 'campaign',
          entityId,
        });
        await store.audit.append({
          actorId: null,
          action: 'campaign.deploy',
          entityType: 'campaign',
          entityId,
          details: { rows: 2 },
        });
        const entries = await store.audit.list({ entityType: 'campaign', entityId });
        expect(entries.map((e) => e.action)).toEqual(['campaign.deploy', 'campaign.submit']);
        // drizzle wraps the driver's error; the database's own message is its cause.
        const refusal = (statement: Promise<unknown>) =>
          statement.then(
            () => 'accepted',
            (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
          );
        expect(
          await refusal(
            store.db.execute(sql`update audit_log set action = 'x' where entity_id = ${entityId}`),
          ),
        ).toMatch(/append-only/);
        expect(
          await refusal(store.db.execute(sql`delete from audit_log where entity_id = ${entityId}`)),
        ).toMatch(/append-only/);
        expect(await store.audit.list({ entityId })).toHaveLength(2);
      });
    });

    describe('transactions', () => {
      it('writes everything in a transaction or nothing', async () => {
        const author = await newUser();
        const { campaign } = await newCampaign(author.id);
        // A submission: the status change and its audit entry.
        const submit = async (tx: Repositories) => {
          await tx.campaigns.transition(campaign.id, { from: ['draft'], to: 'pending_approval' });
          await tx.audit.append({
            actorId: author.id,
            action: 'campaign.submit',
            entityType: 'campaign',
            entityId: campaign.id,
          });
        };
        await expect(
          store.transaction(async (tx) => {
            await submit(tx);
            throw new Error('notification failed');
          }),
        ).rejects.toThrow('notification failed');
        expect((await store.campaigns.findById(campaign.id))?.status).toBe('draft');
        expect(await store.audit.list({ entityId: campaign.id })).toHaveLength(0);

        await store.transaction(submit);
        expect((await store.campaigns.findById(campaign.id))?.status).toBe('pending_approval');
        expect(await store.audit.list({ entityId: campaign.id })).toHaveLength(1);
      });
    });

    describe('jobs, uploads, login attempts (what several instances share)', () => {
      it('keeps a job’s progress and outcome for any reader, and never changes a finished job', async () => {
        const owner = await newUser();
        const job = await store.jobs.create({ kind: 'upload', ownerId: owner.id });
        expect(job).toMatchObject({ status: 'running', progress: 0, result: null });
        await store.jobs.update(job.id, { progress: 0.5, message: 'half' });
        const done = await store.jobs.update(job.id, {
          status: 'succeeded',
          progress: 1,
          result: { upload_id: 'u1' },
          finishedAt: new Date(),
        });
        expect(done).toMatchObject({ status: 'succeeded', result: { upload_id: 'u1' } });
        expect(await store.jobs.update(job.id, { status: 'failed', error: 'late' })).toBeNull();
        expect((await store.jobs.findById(job.id))?.status).toBe('succeeded');
        expect((await store.jobs.list({ ownerId: owner.id })).map((j) => j.id)).toEqual([job.id]);
      });

      it('fails uploads left running by a dead instance, never a running deploy', async () => {
        const owner = await newUser();
        const upload = await store.jobs.create({ kind: 'upload', ownerId: owner.id });
        const deploy = await store.jobs.create({ kind: 'deploy', ownerId: owner.id });
        const later = new Date(Date.now() + 60_000);
        expect(await store.jobs.failAbandoned(['upload', 'filter'], later, later)).toBeGreaterThanOrEqual(1);
        expect(await store.jobs.findById(upload.id)).toMatchObject({
          status: 'failed',
          error: expect.stringMatching(/Interrupted/),
          errorCode: 'JOB.INTERRUPTED',
        });
        expect((await store.jobs.findById(deploy.id))?.status).toBe('running');
      });

      it('gives an upload’s IINs back to its owner only, and not after it expires', async () => {
        const owner = await newUser();
        const other = await newUser();
        const now = new Date();
        const iins = Float64Array.from([900101300007, 900101300811, 950101400123]);
        const upload = await store.uploads.save({
          ownerId: owner.id,
          filename: 'list.csv',
          iins,
          summary: { accepted: 3 },
          expiresAt: new Date(now.getTime() + 60_000),
        });
        expect(upload).toMatchObject({ count: 3, summary: { accepted: 3 } });
        expect(await store.uploads.loadIins(upload.id, owner.id, now)).toEqual(iins);
        expect(await store.uploads.loadIins(upload.id, other.id, now)).toBeNull();
        expect(
          await store.uploads.loadIins(upload.id, owner.id, new Date(now.getTime() + 61_000)),
        ).toBeNull();
      });

      it('admits exactly the allowed number of sign-in attempts sent at once', async () => {
        const key = unique('account');
        const now = new Date();
        const answers = await Promise.all(
          Array.from({ length: 12 }, () =>
            store.loginAttempts.admit(
              [
                { key, max: 5 },
                { key: unique('address'), max: 20 },
              ],
              60_000,
              now,
            ),
          ),
        );
        expect(answers.filter((a) => a.admitted)).toHaveLength(5);
        const refused = answers.find((a) => !a.admitted);
        expect(refused && !refused.admitted && refused.retryAfterMs).toBe(60_000);
        // A successful sign-in clears the account: attempts are admitted again.
        await store.loginAttempts.clear(key);
        expect((await store.loginAttempts.admit([{ key, max: 5 }], 60_000, now)).admitted).toBe(true);
      });
    });
  });
}

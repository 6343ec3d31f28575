import type { CampaignStatus } from '@campaigns/core';
import {
  type DeployOptions,
  deployOptionsSchema,
  domainError,
  type FilterConfig,
  filterConfigSchema,
} from '@campaigns/core';
import type { AudienceRunInput, Campaign, Repositories, SeedDeploymentResult, Store } from '@campaigns/db';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import { type Actor, campaignAuditEntry } from './actor';
import type { AudienceService, FilteredAudience } from './audience-service';
import type { AuditTrail } from './audit-trail';
import { audienceInput, campaignAudience, keptInput } from './campaign-audience';
import { contentHashOf, loadSnapshot } from './campaign-content';
import type { CampaignDeployer } from './campaign-deployer';
import { conflict, notFound } from './campaign-errors';
import type { AudienceSource, CreateCampaignRequest, UpdateCampaignRequest } from './campaign-input';
import { audienceSources, oneAudienceSourceMessage } from './campaign-input';
import { validateMetadata } from './campaign-metadata';
import type { CodeService } from './code-service';
import { requestFingerprint } from './content-hash';
import type { DeployService } from './deploy-service';
import { runOnce } from './idempotency';
import { iinListFingerprint } from './iin-list';
import { campaignParams } from './notification-params';
import type { Notifier } from './notifier';
import type { UploadService } from './upload-service';

/** Who acts, and from which address (for the audit log's "from where"). */
/** How long a repeated request waits for the first one to finish before answering with what it finds. */
const REPLAY_WAIT_MS = 30_000;
/** With approval off, a submitted create is answered once its deploy has ended; before that it is one of these. */
const UNSETTLED_WITHOUT_APPROVAL: readonly CampaignStatus[] = [
  'draft',
  'pending_approval',
  'approved',
  'deploying',
];

export interface CreateOutcome {
  campaign: Campaign;
  /** True when an idempotency key matched an earlier create: the first campaign is returned, nothing new made. */
  replayed: boolean;
  deployment: SeedDeploymentResult | null;
}

const editableStatuses: CampaignStatus[] = ['draft', 'rejected', 'pending_approval', 'approved'];
const authorDeletableStatuses: CampaignStatus[] = ['draft', 'rejected', 'pending_approval'];
const deployedStatuses: CampaignStatus[] = ['approved', 'deployed', 'deploy_failed'];

/** The campaign lifecycle up to approval: create, edit, submit, delete; REST and tRPC both call these. */
export class CampaignService {
  constructor(
    private readonly deps: {
      store: Store;
      codes: CodeService;
      audiences: AudienceService;
      deploys: DeployService;
      deployer: CampaignDeployer;
      uploads: UploadService;
      notifier: Notifier;
      audit: AuditTrail;
      clock: Clock;
      approvalRequired: boolean;
    },
  ) {}

  /**
   * Creates a campaign (a draft, or submitted when `submit`). With approval switched off, a submitted campaign
   * is approved by the system and deployed at once, and the seed's deployment result comes back.
   */
  async create(
    actor: Actor,
    request: CreateCampaignRequest,
    options: { submit: boolean; idempotencyKey?: string | undefined; requireOmissionReasons?: boolean },
  ): Promise<CreateOutcome> {
    const key = options.idempotencyKey;
    if (!key) return this.#create(actor, request, options);
    // The list by its hash: the same body gives the same fingerprint without a million strings on this thread.
    const fingerprint = requestFingerprint({
      request: { ...request, user_iins: iinListFingerprint(request.user_iins) },
      submit: options.submit,
    });
    return runOnce(
      this.deps.store,
      { authorId: actor.userId, key, fingerprint },
      () => this.#create(actor, request, options),
      (campaign) => this.#replay(campaign, options.submit),
    );
  }

  async #create(
    actor: Actor,
    request: CreateCampaignRequest,
    options: { submit: boolean; idempotencyKey?: string | undefined; requireOmissionReasons?: boolean },
  ): Promise<CreateOutcome> {
    const { store, codes } = this.deps;
    if (options.idempotencyKey) {
      const earlier = await store.campaigns.findByIdempotencyKey(actor.userId, options.idempotencyKey);
      if (earlier) return this.#replay(earlier, options.submit);
    }
    const metadata = validateMetadata(request.campaign_type, request.metadata);
    const input = await this.#input(actor, request);
    // The schema asks for exactly one source; a caller inside the app could still send none.
    if (!input) throw new ApiError('AUDIENCE.NO_INPUT', oneAudienceSourceMessage.message);
    const controlShare = request.control_group?.share ?? 0;
    const audience = await campaignAudience(this.deps, {
      input,
      keepInput: true,
      filterConfig: request.filter_config,
      metadata,
      controlShare,
      requireOmissionReasons: options.requireOmissionReasons ?? false,
    });
    const filtered = audience.filtered;
    const iins = keptInput(filtered);
    // Refused before a code is reserved: a submitted campaign must reach someone.
    if (options.submit && filtered.survivors.length === 0) throw emptyAudience();
    const reserved = await codes.reserve(request.campaign_type);
    const { target, control, stats } = audience.split(reserved.code);

    const created = await store.transaction(async (tx) => {
      const { campaign, created } = await tx.campaigns.create({
        code: reserved.code,
        campaignType: request.campaign_type,
        xlsOwId: reserved.xlsOwId,
        status: 'draft',
        metadata,
        filterConfig: { ...audience.filterConfig, control_share: controlShare },
        filterStats: stats,
        warnings: filtered.warnings.map((w) => ({ ...w })),
        deployOptions: request.deploy_options,
        authorId: actor.userId,
        idempotencyKey: options.idempotencyKey ?? null,
        deployAt: request.deploy_at ? new Date(request.deploy_at) : null,
      });
      if (!created) return { campaign, created };
      // The key's claim names its campaign in the same transaction: a crash after it cannot strand a repeat.
      if (options.idempotencyKey)
        await tx.idempotencyKeys.complete(actor.userId, options.idempotencyKey, campaign.id);
      await tx.codeReservations.attach('campaign_code', reserved.code, campaign.id);
      if (reserved.xlsOwId) await tx.codeReservations.attach('xls_ow_id', reserved.xlsOwId, campaign.id);
      const withHash = await saveAudience(tx, campaign, { input: iins, target, control });
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.created', campaign.code, {
          campaignType: campaign.campaignType,
          inputCount: iins.length,
          finalCount: filtered.survivors.length,
          idempotencyKey: options.idempotencyKey ?? null,
        }),
      );
      return { campaign: withHash, created };
    });
    // Lost an idempotency race to an identical request: answer with the first campaign.
    if (!created.created) return this.#replay(created.campaign, options.submit);
    let campaign = created.campaign;
    let deployment: SeedDeploymentResult | null = null;
    if (options.submit) {
      campaign = await this.submit(actor, campaign.code);
      if (!this.deps.approvalRequired) {
        campaign = await this.#approveBySystem(campaign);
        deployment = await this.deps.deploys.deployNow(campaign.id, null);
        campaign = (await store.campaigns.findById(campaign.id)) ?? campaign;
      }
    }
    return { campaign, replayed: false, deployment };
  }

  /** The audience input the request names: its IIN list, an upload of the same user, or all clients. */
  async #input(actor: Actor, request: AudienceSource): Promise<AudienceRunInput | undefined> {
    return (await audienceInput(this.deps, actor.userId, request))?.input;
  }

  async #approveBySystem(campaign: Campaign): Promise<Campaign> {
    return this.deps.store.transaction(async (tx) => {
      const approved = await tx.campaigns.transition(campaign.id, {
        from: ['pending_approval'],
        to: 'approved',
      });
      if (!approved) throw conflict(campaign, 'approve');
      await tx.audit.append({
        actorId: null,
        action: 'campaign.approved',
        entityType: 'campaign',
        entityId: campaign.code,
        details: { automatic: true, reason: 'APPROVAL_REQUIRED=false', contentHash: campaign.contentHash },
      });
      return approved;
    });
  }

  /** Sends a draft (or a rejected campaign) to the approvers. Only its author may. */
  async submit(actor: Actor, code: string): Promise<Campaign> {
    const campaign = await this.get(code);
    if (campaign.authorId !== actor.userId) {
      throw domainError('CAMPAIGN.FORBIDDEN', 'Only the author can submit a campaign.');
    }
    const target = await this.deps.store.snapshots.latest(campaign.id, 'target');
    if (!target || target.count === 0) throw emptyAudience();
    const submitted = await this.deps.store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(campaign.id, {
        from: ['draft', 'rejected'],
        to: 'pending_approval',
      });
      if (!next) throw conflict(campaign, 'submit');
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.submitted', campaign.code, {
          from: campaign.status,
          contentHash: campaign.contentHash,
        }),
      );
      return next;
    });
    if (this.deps.approvalRequired) {
      const approvers = (await this.deps.store.users.list()).filter(
        (u) => !u.disabled && (u.role === 'approver' || u.role === 'admin') && u.id !== actor.userId,
      );
      await this.deps.notifier.notify({
        kind: 'campaign.submitted',
        campaignId: campaign.id,
        code: campaign.code,
        title: `${campaign.code} waits for approval`,
        body: `${String(campaign.metadata.campaign_name ?? '')} (${campaign.campaignType})`,
        params: campaignParams(campaign),
        recipientIds: approvers.map((u) => u.id),
      });
    }
    return submitted;
  }

  /**
   * The first answer to a repeated request. When the first is still being answered (by another connection or
   * another instance: it may be submitting or deploying), this waits until its campaign settles, so the repeat
   * answers exactly as the first did; after REPLAY_WAIT_MS it answers with the state it finds.
   */
  async #replay(campaign: Campaign, submitted: boolean): Promise<CreateOutcome> {
    const settled = (c: Campaign) =>
      !submitted ||
      (this.deps.approvalRequired ? c.status !== 'draft' : !UNSETTLED_WITHOUT_APPROVAL.includes(c.status));
    let current = campaign;
    const until = performance.now() + REPLAY_WAIT_MS;
    while (!settled(current) && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      current = (await this.deps.store.campaigns.findById(current.id)) ?? current;
    }
    return { campaign: current, replayed: true, deployment: await this.deps.deploys.lastResult(current) };
  }

  /**
   * Edits a campaign. Any edit of a submitted or approved campaign sends it back to draft: an approval binds
   * to the content it saw. A new IIN list or filter config rebuilds the audience snapshot.
   */
  async update(
    actor: Actor,
    request: UpdateCampaignRequest,
    options: { requireOmissionReasons?: boolean } = {},
  ): Promise<Campaign> {
    const campaign = await this.get(request.code);
    if (campaign.authorId !== actor.userId && actor.role !== 'admin') {
      throw domainError('CAMPAIGN.FORBIDDEN', 'Only the author (or an admin) can edit a campaign.');
    }
    if (!editableStatuses.includes(campaign.status)) {
      throw domainError('CAMPAIGN.INVALID_STATE', `A ${campaign.status} campaign cannot be edited.`);
    }
    const { store } = this.deps;
    const metadata = request.metadata
      ? validateMetadata(campaign.campaignType, request.metadata)
      : campaign.metadata;
    const deployOptions: DeployOptions =
      request.deploy_options ?? deployOptionsSchema.parse(campaign.deployOptions);
    const previousConfig = filterConfigSchema.parse(campaign.filterConfig);
    const filterConfig: FilterConfig = request.filter_config ?? previousConfig;
    const previousShare = Number(campaign.filterConfig.control_share ?? 0);
    const controlShare =
      request.control_group === undefined
        ? previousShare
        : request.control_group === null
          ? 0
          : request.control_group.share;
    // Contact pressure compares the campaign's dates with other campaigns': new dates, a new audience.
    const datesChanged =
      metadata.date_start !== campaign.metadata.date_start ||
      metadata.date_end !== campaign.metadata.date_end;
    const audienceChanged =
      audienceSources(request) > 0 ||
      request.filter_config !== undefined ||
      controlShare !== previousShare ||
      (filterConfig.contact_pressure && datesChanged);

    let audience: {
      input: Float64Array;
      target: Float64Array;
      control: Float64Array;
      stats: Record<string, number>;
      filtered: FilteredAudience;
      filterConfig: FilterConfig;
    } | null = null;
    if (audienceChanged) {
      const input = (await this.#input(actor, request)) ?? {
        iins: await loadSnapshot(store, campaign.id, 'input'),
      };
      const built = await campaignAudience(this.deps, {
        input,
        keepInput: true,
        filterConfig,
        metadata,
        controlShare,
        excludeCampaignCode: campaign.code,
        requireOmissionReasons: options.requireOmissionReasons ?? false,
      });
      audience = {
        input: keptInput(built.filtered),
        ...built.split(campaign.code),
        filtered: built.filtered,
        filterConfig: built.filterConfig,
      };
    }

    const saved = await store.transaction(async (tx) => {
      if (campaign.status !== 'draft') {
        const back = await tx.campaigns.transition(campaign.id, { from: [campaign.status], to: 'draft' });
        if (!back) throw conflict(campaign, 'edit');
      }
      let updated = await tx.campaigns.update(campaign.id, {
        metadata,
        deployOptions,
        filterConfig: { ...(audience?.filterConfig ?? filterConfig), control_share: controlShare },
        ...(audience
          ? {
              filterStats: audience.stats,
              warnings: audience.filtered.warnings.map((w) => ({ ...w })),
            }
          : {}),
        ...(request.deploy_at !== undefined
          ? { deployAt: request.deploy_at ? new Date(request.deploy_at) : null }
          : {}),
      });
      if (!updated) throw notFound(request.code);
      updated = audience ? await saveAudience(tx, updated, audience) : await rehash(tx, updated);
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.updated', campaign.code, {
          from: campaign.status,
          to: 'draft',
          audienceRebuilt: audience !== null,
          contentHash: updated.contentHash,
          fields: Object.keys(request).filter(
            (k) => k !== 'code' && k !== 'user_iins' && k !== 'upload_id' && k !== 'all_clients',
          ),
        }),
      );
      return updated;
    });
    // Back to draft: the approvers' requests for the old content are withdrawn (a new submit asks again).
    if (campaign.status === 'pending_approval')
      await this.deps.notifier.resolveRequests(campaign.id, 'withdrawn', actor.userId);
    return saved;
  }

  async get(code: string): Promise<Campaign> {
    const campaign = await this.deps.store.campaigns.findByCode(code);
    if (!campaign) throw notFound(code);
    return campaign;
  }

  /**
   * Deletes a campaign. Authors delete their own unapproved campaigns; removing an approved or deployed one
   * from the target tables is for approvers and admins and takes an optional reason. The history stays.
   */
  async delete(
    actor: Actor,
    code: string,
    reason?: string,
  ): Promise<{ campaign: Campaign; tablesCleaned: string[] }> {
    const campaign = await this.get(code);
    if (campaign.status === 'deleted')
      throw domainError('CAMPAIGN.INVALID_STATE', `${code} is already deleted.`);
    if (campaign.status === 'deploying') {
      throw domainError(
        'CAMPAIGN.INVALID_STATE',
        `${code} is being deployed; delete it when the deploy ends.`,
      );
    }
    const isDeployed = deployedStatuses.includes(campaign.status);
    if (isDeployed) {
      if (actor.role !== 'approver' && actor.role !== 'admin') {
        throw domainError(
          'CAMPAIGN.FORBIDDEN',
          'Only approvers and admins can delete an approved or deployed campaign.',
        );
      }
    } else if (campaign.authorId !== actor.userId && actor.role !== 'admin') {
      throw domainError('CAMPAIGN.FORBIDDEN', 'Only the author (or an admin) can delete this campaign.');
    }
    if (!isDeployed && !authorDeletableStatuses.includes(campaign.status)) {
      throw domainError('CAMPAIGN.INVALID_STATE', `A ${campaign.status} campaign cannot be deleted.`);
    }
    const removed = isDeployed ? await this.deps.deploys.removeFromTarget(campaign) : { tables: [], rows: 0 };
    const deleted = await this.deps.store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(campaign.id, { from: [campaign.status], to: 'deleted' });
      if (!next) throw conflict(campaign, 'delete');
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.deleted', code, {
          from: campaign.status,
          reason: reason ?? null,
          tablesCleaned: removed.tables,
          rowsRemoved: removed.rows,
        }),
      );
      return next;
    });
    if (campaign.status === 'pending_approval')
      await this.deps.notifier.resolveRequests(campaign.id, 'deleted', actor.userId);
    // The author hears of it, unless they deleted it themselves.
    if (campaign.authorId !== actor.userId) {
      const by = (await this.deps.store.users.findById(actor.userId))?.username ?? 'unknown';
      await this.deps.notifier.notify({
        kind: 'campaign.deleted',
        campaignId: campaign.id,
        code: campaign.code,
        title: `${campaign.code} was deleted by ${by}`,
        body: [
          removed.tables.length > 0 ? `${removed.rows} rows removed from the target tables.` : '',
          reason ?? '',
        ]
          .filter(Boolean)
          .join(' '),
        params: {
          ...campaignParams(campaign),
          by,
          ...(reason ? { reason } : {}),
          ...(removed.tables.length > 0 ? { rows_removed: removed.rows } : {}),
        },
        recipientIds: [campaign.authorId],
      });
    }
    return { campaign: deleted, tablesCleaned: removed.tables };
  }
}

async function saveAudience(
  tx: Repositories,
  campaign: Campaign,
  audience: { input: Float64Array; target: Float64Array; control: Float64Array },
): Promise<Campaign> {
  await tx.snapshots.save({ campaignId: campaign.id, kind: 'input', iins: audience.input });
  await tx.snapshots.save({ campaignId: campaign.id, kind: 'target', iins: audience.target });
  await tx.snapshots.save({ campaignId: campaign.id, kind: 'control', iins: audience.control });
  return rehash(tx, campaign);
}

/** Recomputes the content hash from the stored content and the newest snapshots. */
async function rehash(tx: Repositories, campaign: Campaign): Promise<Campaign> {
  const contentHash = await contentHashOf(tx, campaign);
  return (await tx.campaigns.update(campaign.id, { contentHash })) ?? campaign;
}

function emptyAudience(): ApiError {
  return new ApiError(
    'AUDIENCE.EMPTY',
    'The audience is empty after the filters: nobody would get this campaign. Change the list or the filters.',
    { issues: [{ field: 'user_iins', message: 'no IIN is left after the filters', rule: 'empty' }] },
  );
}

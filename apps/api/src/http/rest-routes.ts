import type { IncomingMessage, ServerResponse } from 'node:http';
import { inputIssuesOf } from '@campaigns/core';
import type { z } from 'zod';
import type { App } from '../app';
import type { Principal, Role } from '../auth/principal';
import type { RequestMeta } from '../context';
import { ApiError, issuesSummary } from '../errors';
import { assertSafeInput } from '../input-guard';
import { withPreparsedParts } from '../preparsed-input';
import { listCampaigns } from '../router/list-campaigns';
import { createCampaignSchema } from '../services/campaign-input';
import { campaignDetails } from '../services/campaign-views';
import { defaultBodyLimit, largeBodyLimit } from './body-limits';
import type { BodyWorker } from './body-worker';
import { readJsonBody, sendJson } from './json';
import {
  campaignDetailsResponse,
  campaignListResponse,
  createCampaignDocument,
  createCampaignResponse,
  deleteCampaignResponse,
  deleteQuerySchema,
  listQuerySchema,
  nextCodeResponse,
} from './rest-schemas';

/** Who may call a REST endpoint: any signed-in role by default; tokens need the scope for reads or writes. */
export interface RestAccess {
  roles: Role[] | 'any';
  scope: 'read' | 'write';
}

/** A route and its description in the OpenAPI document (openapi.ts): the schemas it reads and answers. */
export interface RestRoute<Response extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  /** The seed's path; `{code}` is a parameter. */
  path: string;
  access: RestAccess;
  /**
   * Bytes of JSON body read at most (default: defaultBodyLimit); larger bodies answer 413. A route with
   * largeBodyLimit carries IIN lists: the body worker parses its body off the API's thread.
   */
  bodyLimit?: number;
  operationId: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The 200 answer's shape; the handler's answer is typed by it. */
  response: Response;
  /** What the 200 answer means. */
  answer: string;
  /** Refusals of this endpoint beyond 400/401/403, by status. */
  errors?: Record<string, string>;
  /** Accepts an Idempotency-Key header. */
  idempotencyKey?: boolean;
  handle(input: RestInput): Promise<RestAnswer<z.input<Response>>>;
}

interface RestInput {
  app: App;
  principal: Principal;
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<unknown>;
  meta: RequestMeta;
}

interface RestAnswer<Body> {
  status: number;
  body: Body;
}

/** Checks a route's answer against its response schema's type (the array below holds them untyped). */
const route = <Response extends z.ZodType>(r: RestRoute<Response>): RestRoute => r;

const anyRole: RestAccess = { roles: 'any', scope: 'read' };

/** Bad input as the seed's clients can act on it: 400 with each field and reason. */
function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = inputIssuesOf(parsed.error).map((issue) => ({ ...issue, field: issue.field || '(body)' }));
  throw new ApiError('REQUEST.INVALID', issuesSummary(issues), { issues });
}

/** The seed's endpoints, in its paths and JSON shapes; each calls the same services as the tRPC procedures. */
export const restRoutes: RestRoute[] = [
  route({
    method: 'GET',
    path: '/campaigns/codes/next-rb1',
    access: anyRole,
    operationId: 'nextRb1Code',
    summary: 'The next RB1 campaign code (a preview; nothing is reserved)',
    response: nextCodeResponse,
    answer: 'The code a new RB1 campaign would get now.',
    handle: async ({ app }) => ({ status: 200, body: await app.codes.preview('RB1') }),
  }),
  route({
    method: 'GET',
    path: '/campaigns/codes/next-rb3',
    access: anyRole,
    operationId: 'nextRb3Codes',
    summary: 'The next RB3 campaign code and XLS_OW_ID (a preview; nothing is reserved)',
    response: nextCodeResponse,
    answer: 'The code and XLS_OW_ID a new RB3 campaign would get now.',
    errors: { '409': 'The KKB_ space is exhausted (CAMPAIGN.XLS_ID_EXHAUSTED).' },
    handle: async ({ app }) => ({ status: 200, body: await app.codes.preview('RB3') }),
  }),
  route({
    method: 'POST',
    path: '/campaigns/create',
    access: { roles: ['marketer', 'admin'], scope: 'write' },
    bodyLimit: largeBodyLimit,
    operationId: 'createCampaign',
    summary: 'Create a campaign from IINs and filters, and submit it for approval',
    description:
      'Filters the IINs, reserves the code and submits the campaign. With APPROVAL_REQUIRED=false it deploys at ' +
      'once and answers as the seed shows; otherwise `deployment_result` is null until an approver signs off.',
    body: createCampaignDocument,
    response: createCampaignResponse,
    answer: 'The campaign, its filter statistics and (when deployed at once) the per-table result.',
    idempotencyKey: true,
    errors: {
      '409': 'The code space is exhausted, or the same Idempotency-Key is still being answered.',
      '413': 'The body is larger than the limit (REQUEST.TOO_LARGE).',
      '422': 'The Idempotency-Key was used with another body (IDEMPOTENCY.KEY_REUSED).',
    },
    handle: async ({ app, principal, body, meta }) => {
      const request = parseOrThrow(createCampaignSchema, await body());
      const outcome = await app.campaigns.create({ ...principal, address: meta.address }, request, {
        submit: true,
        idempotencyKey: meta.idempotencyKey,
      });
      const c = outcome.campaign;
      const deployment = outcome.deployment ?? (outcome.replayed ? await app.deploys.lastResult(c) : null);
      const success = deployment ? deployment.success : true;
      const typeLabel = c.campaignType;
      return {
        status: 200,
        body: {
          success,
          campaign_code: c.code,
          campaign_type: typeLabel,
          ...(c.xlsOwId ? { xls_ow_id: c.xlsOwId } : {}),
          filter_stats: c.filterStats ?? {},
          deployment_result: deployment,
          message: deployment
            ? deployment.success
              ? `Successfully created ${typeLabel} campaign ${c.code}`
              : `Created ${typeLabel} campaign ${c.code}; deployment had errors`
            : `Created ${typeLabel} campaign ${c.code}; it waits for approval`,
          status: c.status,
          warnings: c.warnings,
          ...(outcome.replayed ? { idempotent_replay: true } : {}),
        },
      };
    },
  }),
  route({
    method: 'GET',
    path: '/campaigns/list',
    access: anyRole,
    operationId: 'listCampaigns',
    summary: 'One page of campaigns, newest first',
    query: listQuerySchema,
    response: campaignListResponse,
    answer: 'The page, `total_count` for the filter, and the RB1 / RB3 counts overall.',
    handle: async ({ app, query }) => {
      const q = parseOrThrow(listQuerySchema, Object.fromEntries(query));
      return {
        status: 200,
        body: await listCampaigns(app, { limit: q.limit, offset: q.offset, campaignType: q.campaign_type }),
      };
    },
  }),
  route({
    method: 'GET',
    path: '/campaigns/{code}',
    access: anyRole,
    operationId: 'getCampaign',
    summary: "A campaign's details and its last deployment result",
    response: campaignDetailsResponse,
    answer: 'The campaign.',
    errors: { '404': 'No such campaign (CAMPAIGN.NOT_FOUND).' },
    handle: async ({ app, params }) => {
      const campaign = await app.campaigns.get(params.code ?? '');
      const author = await app.store.users.findById(campaign.authorId);
      return {
        status: 200,
        body: {
          ...campaignDetails(campaign, app.clock, { author: author?.username ?? null }),
          deployment_result: await app.deploys.lastResult(campaign),
        },
      };
    },
  }),
  route({
    method: 'DELETE',
    path: '/campaigns/{code}',
    access: { roles: 'any', scope: 'write' },
    operationId: 'deleteCampaign',
    summary: 'Delete a campaign from every target table (the app keeps its history)',
    query: deleteQuerySchema,
    response: deleteCampaignResponse,
    answer: 'The campaign is gone from the target tables it was in.',
    errors: {
      '404': 'No such campaign (CAMPAIGN.NOT_FOUND).',
      '409': 'Its state does not allow deleting it now (e.g. while it deploys).',
    },
    handle: async ({ app, principal, params, query, meta }) => {
      const { reason } = parseOrThrow(deleteQuerySchema, Object.fromEntries(query));
      const { campaign, tablesCleaned } = await app.campaigns.delete(
        { ...principal, address: meta.address },
        params.code ?? '',
        reason,
      );
      return {
        status: 200,
        body: {
          success: true,
          campaign_code: campaign.code,
          tables_cleaned: tablesCleaned,
          message: `Deleted campaign ${campaign.code}`,
        },
      };
    },
  }),
];

function match(route: RestRoute, method: string, pathname: string): Record<string, string> | null {
  if (route.method !== method) return null;
  const want = route.path.split('/');
  const got = pathname.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? '';
    const value = got[i] ?? '';
    if (part.startsWith('{')) params[part.slice(1, -1)] = decodePathPart(value);
    else if (part !== value) return null;
  }
  return params;
}

function decodePathPart(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ApiError('REQUEST.INVALID_URL', `The path has a broken percent escape: ${value.slice(0, 40)}`);
  }
}

/** Finds the route (literal paths win over `{code}`), checks access, answers. False when no route matches. */
export async function handleRestRequest(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  principal: Principal | null,
  meta: RequestMeta,
  bodies: BodyWorker,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  let found: { route: RestRoute; params: Record<string, string> } | null = null;
  for (const route of restRoutes) {
    const params = match(route, method, url.pathname);
    if (params && (!found || Object.keys(params).length < Object.keys(found.params).length))
      found = { route, params };
  }
  if (!found) return false;
  const { route, params } = found;
  if (!principal)
    throw new ApiError('AUTH.UNAUTHENTICATED', 'Sign in or send an API token (Authorization: Bearer ...).');
  assertAccess(route.access, principal);
  assertSafeInput(params);
  assertSafeInput(Object.fromEntries(url.searchParams));
  const answer = await route.handle({
    app,
    principal,
    params,
    query: url.searchParams,
    body: () =>
      route.bodyLimit === largeBodyLimit
        ? bodies
            .read(req, largeBodyLimit, { batch: false })
            .then((parsed) => withPreparsedParts(parsed.body, parsed.parts))
        : readJsonBody(req, route.bodyLimit ?? defaultBodyLimit),
    meta,
  });
  sendJson(res, answer.status, answer.body);
  return true;
}

export function assertAccess(access: RestAccess, principal: Principal): void {
  if (principal.kind === 'token' && !principal.scopes.includes(access.scope)) {
    throw new ApiError('AUTH.SCOPE_MISSING', `This API token lacks the "${access.scope}" scope.`);
  }
  if (access.roles !== 'any' && !access.roles.includes(principal.role)) {
    throw new ApiError(
      'AUTH.FORBIDDEN',
      `This needs the role ${access.roles.join(' or ')}; you are ${principal.role}.`,
    );
  }
}

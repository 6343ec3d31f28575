import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../auth/principal';
import { createContextInner } from '../context';
import { restRoutes } from '../http/rest-routes';
import { apiTokenFor } from '../testing/api-token';
import { Browser, bearerRequest } from '../testing/http-client';
import { startTestServer, type TestServer } from '../testing/test-server';
import { createCallerFactory } from '../trpc';
import { appRouter } from './root';

type Caller = 'anonymous' | 'marketer' | 'approver' | 'admin' | 'token';
const callers: Caller[] = ['anonymous', 'marketer', 'approver', 'admin', 'token'];

const everyone: Caller[] = [...callers];
const signedIn: Caller[] = ['marketer', 'approver', 'admin', 'token'];
const people: Caller[] = ['marketer', 'approver', 'admin'];
const authors: Caller[] = ['marketer', 'admin', 'token']; // the token belongs to a marketer
const reviewers: Caller[] = ['approver', 'admin'];
const adminSession: Caller[] = ['admin'];

/** Who may call each procedure. A procedure missing here fails the test: a new one cannot be forgotten. */
const procedurePolicy: Record<string, Caller[]> = {
  'auth.login': everyone,
  'auth.me': everyone,
  'auth.logout': signedIn,
  'auth.changePassword': people,
  'codes.next': signedIn,
  'datasets.list': signedIn,
  'datasets.preparation': signedIn,
  'datasets.reload': adminSession,
  'audiences.validate': authors,
  'audiences.preview': authors,
  'audiences.previewJob': authors,
  'audiences.upload': authors,
  'audiences.byProducts': authors,
  'campaigns.list': signedIn,
  'campaigns.get': signedIn,
  'campaigns.history': signedIn,
  'campaigns.create': authors,
  'campaigns.update': authors,
  'campaigns.submit': authors,
  'campaigns.delete': signedIn,
  'campaigns.deploy': reviewers,
  // The service refuses a marketer who is not the author (audience-export.test.ts).
  'campaigns.exportAudience': people,
  'campaigns.audienceSample': people,
  'campaigns.duplicate': authors,
  'campaigns.suggestions': authors,
  'approvals.pending': reviewers,
  'approvals.approve': reviewers,
  'approvals.reject': reviewers,
  'audit.list': adminSession,
  'users.list': adminSession,
  'users.create': adminSession,
  'users.setRole': adminSession,
  'users.setDisabled': adminSession,
  'users.resetPassword': adminSession,
  'tokens.listMine': people,
  'tokens.create': adminSession,
  'tokens.listForUser': adminSession,
  'tokens.list': adminSession,
  'tokens.revoke': adminSession,
  'notifications.mine': signedIn,
  'notifications.markRead': signedIn,
  'notifications.markAllRead': signedIn,
  'jobs.get': signedIn,
  'jobs.mine': signedIn,
  'jobs.watch': signedIn,
  'uploads.rows': authors,
};

/** REST endpoints (method + seed path) and who may call them; the service decides per campaign beyond this. */
const restPolicy: Record<string, Caller[]> = {
  'GET /campaigns/codes/next-rb1': signedIn,
  'GET /campaigns/codes/next-rb3': signedIn,
  'POST /campaigns/create': authors,
  'GET /campaigns/list': signedIn,
  'GET /campaigns/{code}': signedIn,
  'DELETE /campaigns/{code}': signedIn,
};

type Verdict = 'allowed' | 'refused';

describe('authorization matrix (generated from the router and the REST route table)', () => {
  let server: TestServer;
  let apiToken: string;
  const principals: Record<Caller, Principal | null> = {
    anonymous: null,
    marketer: null,
    approver: null,
    admin: null,
    token: null,
  };

  beforeAll(async () => {
    server = await startTestServer();
    for (const role of ['marketer', 'approver', 'admin'] as const) {
      principals[role] = {
        kind: 'session',
        userId: server.users[role]!.id,
        username: role,
        role,
        sessionId: 'matrix',
      };
    }
    apiToken = await apiTokenFor(server, 'marketer');
    principals.token = await server.app.auth.authenticateApiToken(apiToken);
  });
  afterAll(async () => server.close());

  const procedurePaths = Object.keys(appRouter._def.procedures).sort();

  it('has a policy for every procedure and every REST endpoint, and nothing stale', () => {
    expect(procedurePaths).toEqual(Object.keys(procedurePolicy).sort());
    expect(restRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(restPolicy).sort());
  });

  it('every tRPC procedure x caller gets exactly the allowed/refused answer of the policy', async () => {
    const createCaller = createCallerFactory(appRouter);
    const mismatches: string[] = [];
    for (const path of procedurePaths) {
      for (const caller of callers) {
        const ctx = createContextInner({ app: server.app, principal: principals[caller] });
        const call = createCaller(ctx);
        const [group, name] = path.split('.') as [string, string];
        // An empty input: callers who pass the role check fail input validation instead (BAD_REQUEST), so
        // nothing changes; refused callers are stopped before their input is even read.
        const procedure = (
          call as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
        )[group]![name]!;
        let verdict: Verdict = 'allowed';
        try {
          const result = await procedure({ __matrix: true });
          if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
            await (result as unknown as AsyncIterator<unknown>).return?.();
          }
        } catch (error) {
          if (error instanceof TRPCError && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN')) {
            verdict = 'refused';
          }
        }
        const expected: Verdict = procedurePolicy[path]?.includes(caller) ? 'allowed' : 'refused';
        if (verdict !== expected) mismatches.push(`${path} as ${caller}: ${verdict}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('every REST endpoint x caller over HTTP: 401 anonymous, 403 for a role that may not', async () => {
    const browsers: Partial<Record<Caller, Browser>> = {};
    for (const role of ['marketer', 'approver', 'admin'] as const) {
      browsers[role] = new Browser(server);
      await browsers[role]!.login(role);
    }
    const mismatches: string[] = [];
    for (const route of restRoutes) {
      const path = route.path.replace('{code}', 'C999999999');
      const body = route.method === 'POST' ? {} : undefined;
      for (const caller of callers) {
        const response =
          caller === 'anonymous'
            ? await new Browser(server).request(route.method, path, body)
            : caller === 'token'
              ? await bearerRequest(server, apiToken, route.method, path, body)
              : await browsers[caller]!.request(route.method, path, body);
        const allowedExpected = restPolicy[`${route.method} ${route.path}`]?.includes(caller) ?? false;
        const expectedStatus = allowedExpected ? 'not 401/403' : caller === 'anonymous' ? 401 : 403;
        const ok = allowedExpected
          ? response.status !== 401 && response.status !== 403
          : response.status === expectedStatus;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.path} as ${caller}: ${response.status}, expected ${expectedStatus}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a read-only API token can read but not write', async () => {
    const readOnly = await server.app.auth.createApiToken({
      userId: server.users.marketer!.id,
      name: 'reader',
      scopes: ['read'],
      actorId: null,
    });
    expect((await bearerRequest(server, readOnly.token, 'GET', '/campaigns/list')).status).toBe(200);
    expect((await bearerRequest(server, readOnly.token, 'POST', '/campaigns/create', {})).status).toBe(403);
    const revoked = await server.app.auth.createApiToken({
      userId: server.users.marketer!.id,
      name: 'gone',
      scopes: ['read'],
      actorId: null,
    });
    await server.app.users.revokeToken(revoked.id, server.users.admin!.id);
    expect((await bearerRequest(server, revoked.token, 'GET', '/campaigns/list')).status).toBe(401);
  });
});

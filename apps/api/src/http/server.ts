import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CodedError } from '@campaigns/core';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { App } from '../app';
import { clearSessionCookie, serializeSessionCookie } from '../auth/cookies';
import { createContextInner, type RequestMeta } from '../context';
import { httpStatusOf, httpStatusOfCode, isCodedError, toTRPCError } from '../errors';
import type { PreparsedPart } from '../preparsed-input';
import { appRouter } from '../router/root';
import { type Authentication, authenticateRequest } from './authenticate';
import { anonymousProcedures, carriesLargeBody, trpcBodyLimit, trpcProcedures } from './body-limits';
import { clientAddress } from './client-address';
import { checkCsrf } from './csrf';
import { readBodyText, sendJson } from './json';
import { buildOpenApiDocument } from './openapi';
import { isKnownHost, originPolicy } from './request-origin';
import { handleRestRequest } from './rest-routes';
import { setSecurityHeaders } from './security-headers';
import { serveStatic } from './static-files';
import { lingerOverUnreadBody } from './unread-body';

/** Builds the one HTTP server: tRPC under /trpc, the seed's REST paths, /healthz, and the admin SPA. */
export function createAppServer(app: App): Server {
  const origins = originPolicy(app.settings);
  // The caller is authenticated before the body is read (server.ts reads it); the context reuses the answer.
  const authentications = new WeakMap<IncomingMessage, Authentication>();
  // IIN lists and files are parsed off this thread (the app's body worker); the context takes the parts for
  // the body's markers.
  const { bodies } = app;
  const preparsed = new WeakMap<IncomingMessage, PreparsedPart[]>();
  let openApiDocument: unknown;

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: async ({ req, res }) => {
      const auth = authentications.get(req) ?? (await authenticateRequest(app, req));
      if (auth.staleCookie) res.appendHeader('set-cookie', clearSessionCookie(app.settings.demoMode));
      return createContextInner({
        app,
        principal: auth.principal,
        request: requestMeta(app, req),
        cookies: {
          set: (token, expiresAt) =>
            res.appendHeader(
              'set-cookie',
              serializeSessionCookie(token, {
                demoMode: app.settings.demoMode,
                maxAgeSeconds: (expiresAt.getTime() - app.clock.now().getTime()) / 1000,
              }),
            ),
          clear: () => res.appendHeader('set-cookie', clearSessionCookie(app.settings.demoMode)),
        },
        preparsed: preparsed.get(req) ?? [],
      });
    },
    // A throttled sign-in says when to try again, as the REST answer does.
    responseMeta: ({ errors }) => {
      const retryAfter = errors
        .map((e) => (isCodedError(e.cause) ? e.cause.details?.retryAfterSeconds : undefined))
        .find((v): v is number => typeof v === 'number');
      return retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } };
    },
    onError: ({ error, path, type }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        app.logger.error({ err: error, path, type }, 'tRPC procedure failed');
      // A client's mistake: its code only, no stack and no message (messages may quote the values sent).
      else
        app.logger.warn(
          { path, type, code: error.code, domainCode: isCodedError(error.cause) ? error.cause.code : null },
          'tRPC call refused',
        );
    },
  });

  const server = createServer((req, res) => {
    handle(req, res)
      .catch((error: unknown) => {
        app.logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { detail: 'Internal server error.', code: 'INTERNAL' });
        else res.end();
      })
      // Answered with its body still coming (refused unread, or over its limit): the client reads the answer.
      .finally(() => lingerOverUnreadBody(req));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    res.on('finish', () => {
      app.logger.info(
        {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    const method = req.method ?? 'GET';
    const url = new URL(`http://localhost${(req.url ?? '/').startsWith('/') ? req.url : '/'}`);
    // A browser navigating to an SPA page under /campaigns (a reload) asks for HTML: it gets the app, while
    // tools asking for JSON get the seed's endpoints.
    const wantsPage = method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    const api =
      url.pathname.startsWith('/trpc/') ||
      url.pathname === '/healthz' ||
      url.pathname === '/openapi.json' ||
      (!wantsPage && (url.pathname === '/campaigns' || url.pathname.startsWith('/campaigns/')));
    setSecurityHeaders(res, { demoMode: app.settings.demoMode, api });

    if (!isKnownHost(req.headers.host, origins)) {
      sendJson(res, httpStatusOfCode('REQUEST.UNKNOWN_HOST'), {
        detail: 'This server does not answer for that Host; add its origin to ALLOWED_ORIGINS.',
        code: 'REQUEST.UNKNOWN_HOST',
      });
      return;
    }

    if (url.pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const health = await app.health();
      sendJson(res, health.ok ? 200 : 503, health);
      return;
    }

    // The REST endpoints' description is public, like the paths it describes: tools fetch it before a token.
    if (url.pathname === '/openapi.json' && (method === 'GET' || method === 'HEAD')) {
      openApiDocument ??= buildOpenApiDocument();
      sendJson(res, 200, openApiDocument);
      return;
    }

    const csrf = checkCsrf(req, origins);
    if (!csrf.ok) {
      sendJson(res, httpStatusOfCode('AUTH.CSRF'), { detail: csrf.reason, code: 'AUTH.CSRF' });
      return;
    }

    if (url.pathname.startsWith('/trpc/')) {
      await handleTrpc(req, res, url);
      return;
    }

    if (wantsPage && serveStatic(app.settings.adminBuildDir, req, res, url.pathname)) return;

    if (url.pathname.startsWith('/campaigns/') || url.pathname === '/campaigns') {
      try {
        const auth = await authenticateRequest(app, req);
        if (auth.staleCookie) res.appendHeader('set-cookie', clearSessionCookie(app.settings.demoMode));
        const handled = await handleRestRequest(
          app,
          req,
          res,
          url,
          auth.principal,
          requestMeta(app, req),
          bodies,
        );
        if (!handled)
          sendJson(res, httpStatusOfCode('HTTP.NOT_FOUND'), {
            detail: `No endpoint ${method} ${url.pathname}.`,
            code: 'HTTP.NOT_FOUND',
          });
      } catch (error) {
        sendRestError(app, res, error);
      }
      return;
    }

    if (
      (method === 'GET' || method === 'HEAD') &&
      serveStatic(app.settings.adminBuildDir, req, res, url.pathname)
    ) {
      return;
    }
    sendJson(res, httpStatusOfCode('HTTP.NOT_FOUND'), {
      detail: `Not found: ${url.pathname}`,
      code: 'HTTP.NOT_FOUND',
    });
  }

  /**
   * Authenticates, then reads at most the procedures' body limit and hands the text to tRPC. An anonymous call
   * to a procedure that needs a caller is not read at all: tRPC answers it 401 from an empty input.
   */
  async function handleTrpc(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const auth = await authenticateRequest(app, req);
    authentications.set(req, auth);
    if (req.method === 'POST') {
      const procedures = trpcProcedures(url.pathname);
      const body = req as IncomingMessage & { body?: string };
      if (!auth.principal && procedures.some((p) => !anonymousProcedures.has(p))) {
        body.body = '';
      } else {
        try {
          const limit = trpcBodyLimit(procedures, auth.principal !== null);
          if (auth.principal && carriesLargeBody(procedures)) {
            const parsed = await bodies.read(req, limit, { batch: url.searchParams.get('batch') === '1' });
            // Small now: the heavy fields are markers.
            body.body = parsed.body === undefined ? '' : JSON.stringify(parsed.body);
            preparsed.set(req, parsed.parts);
          } else body.body = await readBodyText(req, limit);
        } catch (error) {
          if (!isCodedError(error)) throw error;
          sendTrpcError(res, error, procedures, url.searchParams.get('batch') === '1');
          return;
        }
      }
    }
    trpcHandler(req, res);
  }

  return server;
}

function requestMeta(app: App, req: IncomingMessage): RequestMeta {
  const key = req.headers['idempotency-key'];
  return {
    address: clientAddress(req, app.settings.trustProxy),
    userAgent: req.headers['user-agent'],
    requestId: crypto.randomUUID(),
    idempotencyKey: typeof key === 'string' && key.trim() !== '' ? key.trim().slice(0, 200) : undefined,
  };
}

/** A tRPC-shaped error answer (one per call of a batch) for a call refused before tRPC sees it. */
function sendTrpcError(res: ServerResponse, error: CodedError, procedures: string[], batch: boolean): void {
  const status = httpStatusOf(error);
  const trpcError = toTRPCError(error);
  const shapeOf = (path: string) => ({
    error: {
      message: error.message,
      code: TRPC_ERROR_CODES_BY_KEY[trpcError.code],
      data: {
        code: trpcError.code,
        httpStatus: status,
        path,
        domainCode: error.code,
        // As the errorFormatter gives them: each field and why.
        issues: Array.isArray(error.details?.issues) ? error.details.issues : null,
      },
    },
  });
  sendJson(res, status, batch ? procedures.map(shapeOf) : shapeOf(procedures[0] ?? ''));
}

/** REST error bodies: `detail` (FastAPI's field, as the seed's service used) plus our stable code and issues. */
export function sendRestError(app: App, res: ServerResponse, error: unknown): void {
  if (isCodedError(error)) {
    const status = httpStatusOf(error);
    app.logger.warn({ code: error.code, status }, 'REST request refused');
    const issues = Array.isArray(error.details?.issues) ? error.details.issues : undefined;
    const retryAfter = error.details?.retryAfterSeconds;
    sendJson(
      res,
      status,
      { detail: error.message, code: error.code, ...(issues ? { issues } : {}) },
      typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    );
    return;
  }
  app.logger.error({ err: error }, 'REST endpoint failed');
  sendJson(res, 500, { detail: 'Internal server error.', code: 'INTERNAL' });
}

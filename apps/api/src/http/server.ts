import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { App } from '../app';
import { clearSessionCookie, serializeSessionCookie } from '../auth/cookies';
import { checkCsrf } from '../auth/csrf';
import { createContextInner, type RequestMeta } from '../context';
import { httpStatusOf, isCodedError } from '../errors';
import { appRouter } from '../router/root';
import { authenticateRequest } from './authenticate';
import { clientAddress } from './client-address';
import { maxJsonBodyBytes, sendJson } from './json';
import { handleRestRequest } from './rest-routes';
import { serveStatic } from './static-files';

/** Builds the one HTTP server: tRPC under /trpc, the seed's REST paths, /healthz, and the admin SPA. */
export function createAppServer(app: App): Server {
  const allowedOrigins = app.settings.allowedOrigins;

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxJsonBodyBytes,
    createContext: async ({ req, res }) => {
      const auth = await authenticateRequest(app, req);
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
      });
    },
    onError: ({ error, path, type }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        app.logger.error({ err: error, path, type }, 'tRPC procedure failed');
    },
  });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      app.logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { detail: 'Internal server error.', code: 'INTERNAL' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
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
    const url = new URL(req.url ?? '/', 'http://localhost');

    if (url.pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      const health = await app.health();
      sendJson(res, health.ok ? 200 : 503, health);
      return;
    }

    const csrf = checkCsrf(method, req.headers, allowedOrigins);
    if (!csrf.ok) {
      sendJson(res, 403, { detail: csrf.reason, code: 'AUTH.CSRF' });
      return;
    }

    if (url.pathname.startsWith('/trpc/')) {
      trpcHandler(req, res);
      return;
    }

    // A browser navigating to an SPA page under /campaigns (a reload) asks for HTML: it gets the app, while
    // tools asking for JSON get the seed's endpoints.
    const wantsPage = method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (wantsPage && serveStatic(app.settings.adminBuildDir, req, res, url.pathname)) return;

    if (url.pathname.startsWith('/campaigns/') || url.pathname === '/campaigns') {
      try {
        const auth = await authenticateRequest(app, req);
        if (auth.staleCookie) res.appendHeader('set-cookie', clearSessionCookie(app.settings.demoMode));
        const handled = await handleRestRequest(app, req, res, url, auth.principal, requestMeta(app, req));
        if (!handled)
          sendJson(res, 404, { detail: `No endpoint ${method} ${url.pathname}.`, code: 'HTTP.NOT_FOUND' });
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
    sendJson(res, 404, { detail: `Not found: ${url.pathname}`, code: 'HTTP.NOT_FOUND' });
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

/** REST error bodies: `detail` (FastAPI's field, as the seed's service used) plus our stable code and issues. */
export function sendRestError(app: App, res: ServerResponse, error: unknown): void {
  if (isCodedError(error)) {
    const status = httpStatusOf(error);
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

import type { TestServer } from './test-server';
import { testPassword } from './test-server';

/** A browser-like caller: keeps the session cookie, sends JSON with our Origin (as the SPA does). */
export class Browser {
  cookie: string | undefined;
  /** Where requests go; another instance may be put here, the cookie goes along (several instances). */
  constructor(public server: Pick<TestServer, 'baseUrl' | 'origin'>) {}

  async login(username: string, password = testPassword): Promise<Response> {
    const response = await this.trpc('auth.login', { username, password });
    return response;
  }

  /** Calls a tRPC mutation by path over HTTP (no batching). */
  async trpc(path: string, input: unknown): Promise<Response> {
    return this.request('POST', `/trpc/${path}`, input);
  }

  /** Calls a tRPC query by path over HTTP. */
  async trpcQuery(path: string, input?: unknown): Promise<Response> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.request('GET', `/trpc/${path}${query}`);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(`${this.server.baseUrl}${path}`, {
      method,
      headers: {
        ...(method === 'GET' ? {} : { 'content-type': 'application/json', origin: this.server.origin }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.getSetCookie();
    for (const line of setCookie) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === 'session') this.cookie = value ? `session=${value}` : undefined;
    }
    return response;
  }
}

/** A Browser signed in as one of the test server's users (its seeded password); throws when refused. */
export async function signedInBrowser(
  server: Pick<TestServer, 'baseUrl' | 'origin'>,
  username: string,
): Promise<Browser> {
  const browser = new Browser(server);
  const response = await browser.login(username);
  if (response.status !== 200) throw new Error(`${username} could not sign in: ${response.status}`);
  return browser;
}

/** A tool with an API token: Bearer, no cookie, no Origin. */
export async function bearerRequest(
  server: Pick<TestServer, 'baseUrl'>,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Waits until `check` returns a value (polling; the deploy job runs in the background). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A response body for assertions. `any` on purpose: tests check the JSON's shape with toMatchObject/toEqual,
 * which is the real type check here; typing every seed body by hand would only restate the assertions.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export async function json(response: Response): Promise<any> {
  return response.json();
}

import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../index';
import { type TestServer, testPassword } from './test-server';

/** A typed tRPC client that behaves like the SPA in a browser: cookie jar, JSON, our Origin. */
export function typedClient(server: TestServer) {
  const jar: { cookie?: string } = {};
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server.baseUrl}/trpc`,
        headers: () => ({ origin: server.origin, ...(jar.cookie ? { cookie: jar.cookie } : {}) }),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          for (const line of response.headers.getSetCookie()) {
            const [pair] = line.split(';');
            const [name, value] = (pair ?? '').split('=');
            if (name === 'session') jar.cookie = value ? `session=${value}` : undefined;
          }
          return response;
        },
      }),
    ],
  });
  return { client, jar };
}

/** A typed client signed in as one of the test server's users (its seeded password). */
export async function signedInClient(server: TestServer, username: string) {
  const { client } = typedClient(server);
  await client.auth.login.mutate({ username, password: testPassword });
  return client;
}

export type SignedInClient = Awaited<ReturnType<typeof signedInClient>>;

/** A refused call's domain code, HTTP status, field issues and message; anything but a tRPC refusal is thrown. */
export function errorOf(error: unknown) {
  if (!(error instanceof TRPCClientError)) throw error;
  const data = error.data as { domainCode?: string; httpStatus?: number; issues?: unknown } | undefined;
  return { code: data?.domainCode, status: data?.httpStatus, issues: data?.issues, message: error.message };
}

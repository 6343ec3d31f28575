import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../index';
import type { TestServer } from './test-server';

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

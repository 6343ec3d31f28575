import type { TestServer } from './test-server';

/** A read + write API token for one of the test server's users, as a tool would hold it. */
export async function apiTokenFor(server: TestServer, username: string): Promise<string> {
  const created = await server.app.auth.createApiToken({
    userId: server.users[username]!.id,
    name: 'tool',
    scopes: ['read', 'write'],
    actorId: null,
  });
  return created.token;
}

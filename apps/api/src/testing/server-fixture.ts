import { afterAll, beforeAll, expect } from 'vitest';
import { apiTokenFor } from './api-token';
import { Browser } from './http-client';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

export interface ServerFixture {
  server: TestServer;
  /** Signed in as the seeded marketer (a session, as the SPA holds it). */
  marketer: Browser;
  /** The marketer's read + write API token, as a tool holds it. */
  token: string;
}

/**
 * One test server for the enclosing describe block, with the marketer signed in both ways; closed after it.
 * The fields are filled in beforeAll, so read them inside tests, not at collection time.
 */
export function useServerFixture(options: TestServerOptions = {}): ServerFixture {
  const fixture = {} as ServerFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer(options);
    fixture.marketer = new Browser(fixture.server);
    expect((await fixture.marketer.login('marketer')).status).toBe(200);
    fixture.token = await apiTokenFor(fixture.server, 'marketer');
  });
  afterAll(async () => fixture.server?.close());
  return fixture;
}

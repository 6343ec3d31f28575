import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AppRouter } from './router';

export interface CampaignClientOptions {
  /** The service's base URL, e.g. `https://campaigns.bank.example` (the client adds `/trpc`). */
  url: string;
  /** An API token (`pnpm cli token create --username U`), sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Calls made in the same tick travel in one request, at most this many (default 10). */
  maxBatchItems?: number;
  /** A `fetch` of your own (proxies, tests); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
}

export type CampaignClient = TRPCClient<AppRouter>;

/**
 * A typed client for every procedure of the service: queries and mutations batched over HTTP, subscriptions
 * (job progress) over Server-Sent Events, each request carrying the API token.
 */
export function createCampaignClient(options: CampaignClientOptions): CampaignClient {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const authorization = `Bearer ${options.token}`;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Node 20 has no EventSource, and the browser's cannot send headers: the `eventsource` package can.
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) =>
              fetchImpl(input, { ...init, headers: { ...init?.headers, authorization } }),
          },
        }),
        false: httpBatchLink({
          url,
          maxItems: options.maxBatchItems ?? 10,
          headers: { authorization },
          fetch: fetchImpl,
        }),
      }),
    ],
  });
}

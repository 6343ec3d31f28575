import type { AppRouter, RouterInputs, RouterOutputs } from '@campaigns/api';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';

// One typed client for the whole app. The SPA is served by the API server (or proxied by Vite in development),
// so every call goes to the same origin and the session cookie travels by itself.
const url = '/trpc';

export const api = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url }),
      false: httpBatchLink({ url, maxItems: 10 }),
    }),
  ],
});

export type { RouterInputs, RouterOutputs };
export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type CampaignListItem = RouterOutputs['campaigns']['list']['campaigns'][number];
export type CampaignDetails = RouterOutputs['campaigns']['get'];
export type WorkflowStatus = CampaignListItem['workflow_status'];
export type FilterConfig = NonNullable<RouterInputs['audiences']['preview']['filter_config']>;
export type PreviewResult = RouterOutputs['audiences']['preview'];
export type DatasetInfo = RouterOutputs['datasets']['list'][number];
export type PendingApproval = RouterOutputs['approvals']['pending']['campaigns'][number];

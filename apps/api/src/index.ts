// Public entry point of @campaigns/api: the router's types for typed clients (the admin app, @campaigns/client)
// and the error codes they can meet, nothing else.
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './router/root';

export type { ErrorCode } from './errors';
export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

import { type InputIssue, inputIssuesOf } from '@campaigns/core';
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Role } from './auth/principal';
import type { Context } from './context';
import { isCodedError, issuesSummary, toTRPCError } from './errors';
import { assertSafeInput } from './input-guard';
import { withPreparsedParts } from './preparsed-input';

// The only building blocks for procedures: router, publicProcedure, authedProcedure, roleProcedure.

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // An unexpected failure's message can carry internals (a database error quotes its parameters): the
    // caller gets a generic message, the log gets the details (server.ts onError).
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const issues = issuesOf(cause);
    return {
      ...shape,
      // A refused input reads "field: why; ..." rather than tRPC's JSON dump of zod's issues.
      message: internal
        ? 'Internal server error.'
        : cause instanceof z.ZodError && issues
          ? issuesSummary(issues)
          : shape.message,
      data: {
        ...shape.data,
        // Never leak server internals: stack traces stay in the log.
        stack: undefined,
        domainCode: isCodedError(cause) ? cause.code : null,
        /** Every field refused, each with its rule and limit (core's InputIssue), or null. */
        issues,
      },
    };
  },
});

/** The field problems an error carries: a tRPC input's zod error, or a coded error's `details.issues`. */
function issuesOf(cause: unknown): InputIssue[] | null {
  if (cause instanceof z.ZodError) return inputIssuesOf(cause);
  if (isCodedError(cause) && Array.isArray(cause.details?.issues))
    return cause.details.issues as InputIssue[];
  return null;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Domain errors thrown by services become TRPCErrors with the status decided in errors.ts. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isCodedError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/** A NUL character or absurd nesting in any input is a 400 naming the field, before any schema runs. */
const refuseUnsafeInput = t.middleware(async ({ getRawInput, next }) => {
  assertSafeInput(await getRawInput());
  return next();
});

/** A heavy field the body worker parsed (preparsed-input.ts): the input gets the parsed part for its marker. */
const takePreparsedParts = t.middleware(async ({ ctx, getRawInput, next }) => {
  if (ctx.preparsed.length === 0) return next();
  const input = withPreparsedParts(await getRawInput(), ctx.preparsed);
  return next({ getRawInput: async () => input });
});

export const publicProcedure = t.procedure
  .use(mapDomainErrors)
  .use(refuseUnsafeInput)
  .use(takePreparsedParts);

export const authedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  const principal = ctx.principal;
  if (!principal) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first.' });
  // API tokens are scoped: reading needs `read`, changing anything needs `write`.
  if (principal.kind === 'token') {
    const needed = type === 'mutation' ? 'write' : 'read';
    if (!principal.scopes.includes(needed)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This API token lacks the "${needed}" scope.` });
    }
  }
  return next({ ctx: { ...ctx, principal } });
});

/** A procedure only the given roles may call; checked on the server for every call. */
export function roleProcedure(...allowed: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!allowed.includes(ctx.principal.role)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs the role ${allowed.join(' or ')}; you are signed in as ${ctx.principal.role}.`,
      });
    }
    return next();
  });
}

/** A procedure for people in the browser only (not API tokens): account and credential management. */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== 'session') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This needs a signed-in session, not an API token.' });
  }
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** Role-checked and session-only: account administration is done by people, never by API tokens. */
export function sessionRoleProcedure(...allowed: Role[]) {
  return sessionProcedure.use(({ ctx, next }) => {
    if (!allowed.includes(ctx.principal.role)) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs the role ${allowed.join(' or ')}; you are signed in as ${ctx.principal.role}.`,
      });
    }
    return next();
  });
}

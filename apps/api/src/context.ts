import type { App } from './app';
import type { Principal } from './auth/principal';
import type { PreparsedPart } from './preparsed-input';

/** Facts about the HTTP request that procedures may need (audit "from where", throttling). */
export interface RequestMeta {
  address: string;
  userAgent: string | undefined;
  requestId: string;
  idempotencyKey: string | undefined;
}

/** Lets sign-in and sign-out set the session cookie without knowing about HTTP. */
export interface SessionCookieSink {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

export interface Context {
  app: App;
  principal: Principal | null;
  request: RequestMeta;
  cookies: SessionCookieSink;
  /** Parts of this request's body the body worker parsed (an IIN list, a file); their markers resolve to them. */
  preparsed: readonly PreparsedPart[];
}

/** The context without HTTP: router tests call procedures through createCaller with this. */
export function createContextInner(input: {
  app: App;
  principal?: Principal | null;
  request?: Partial<RequestMeta>;
  cookies?: SessionCookieSink;
  preparsed?: readonly PreparsedPart[];
}): Context {
  return {
    app: input.app,
    principal: input.principal ?? null,
    request: {
      address: input.request?.address ?? '127.0.0.1',
      userAgent: input.request?.userAgent,
      requestId: input.request?.requestId ?? crypto.randomUUID(),
      idempotencyKey: input.request?.idempotencyKey,
    },
    cookies: input.cookies ?? { set: () => {}, clear: () => {} },
    preparsed: input.preparsed ?? [],
  };
}

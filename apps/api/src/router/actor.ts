import type { Principal } from '../auth/principal';
import type { Context } from '../context';
import type { Actor } from '../services/actor';

/** The caller as services see it: who, with which role, from which address (for the audit log). */
export function actorOf(ctx: Context & { principal: Principal }): Actor {
  return { userId: ctx.principal.userId, role: ctx.principal.role, address: ctx.request.address };
}

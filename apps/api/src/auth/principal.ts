export const roles = ['marketer', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Who is calling: a signed-in person (session) or a tool (API token acting for its user). */
export type Principal =
  | { kind: 'session'; userId: string; username: string; role: Role; sessionId: string }
  | { kind: 'token'; userId: string; username: string; role: Role; tokenId: string; scopes: TokenScope[] };

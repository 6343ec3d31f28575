// How many bytes of body each route may send. A body is read only after the caller is known (authenticated, or
// calling one of the few procedures open to anonymous callers), and never beyond its route's limit, so 40
// anonymous 31 MB posts cost a few KB each instead of 480 MB.

const kib = 1024;
const mib = 1024 * kib;

/** Sign-in: a username and a password of at most 128 characters fit many times over. */
export const anonymousBodyLimit = 8 * kib;

/** Metadata, filters, decisions, users, tokens: texts of at most 32,000 characters plus room. */
export const defaultBodyLimit = 1 * mib;

/** A 1,048,576-row IIN list as JSON strings is about 16 MB; a 24 MB upload is 32 MB as base64. */
export const largeBodyLimit = 34 * mib;

/** The only tRPC procedures an anonymous caller may reach (everything else answers 401 unread). */
export const anonymousProcedures: ReadonlySet<string> = new Set(['auth.login', 'auth.me']);

/** Procedures that carry an IIN list or a file. */
const largeBodyProcedures: ReadonlySet<string> = new Set([
  'audiences.validate',
  'audiences.upload',
  'audiences.preview',
  'audiences.previewJob',
  'campaigns.create',
  'campaigns.update',
]);

/** Whether a tRPC call (a batch: any of its procedures) carries an IIN list or a file: the body worker reads it. */
export function carriesLargeBody(procedures: readonly string[]): boolean {
  return procedures.some((p) => largeBodyProcedures.has(p));
}

/** The body limit of a tRPC call (a batch: the largest of its procedures'), for an anonymous or known caller. */
export function trpcBodyLimit(procedures: readonly string[], authenticated: boolean): number {
  if (!authenticated) return anonymousBodyLimit;
  return carriesLargeBody(procedures) ? largeBodyLimit : defaultBodyLimit;
}

/** The tRPC procedure paths of a request under /trpc/ (`a.b,c.d` in a batch). */
export function trpcProcedures(pathname: string): string[] {
  return pathname.slice('/trpc/'.length).split(',');
}

/** Every procedure named here exists in the router (a test asserts it against appRouter). */
export const namedProcedures: readonly string[] = [...anonymousProcedures, ...largeBodyProcedures];

import { pino } from 'pino';

// Fields that must never reach a log line: credentials, session and API tokens, and IIN lists (personal data).
const redactedPaths = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'sessionToken',
  'passwordHash',
  'password_hash',
  'user_iins',
  'iins',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.sessionToken',
  '*.passwordHash',
  '*.password_hash',
  '*.user_iins',
  '*.iins',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export type Logger = pino.Logger;

/**
 * Errors keep their type, code, message and stack, and nothing else: a database error carries the failed
 * query's parameters (a password hash, an IIN list), which must not reach the log. Drizzle puts them in the
 * message too, after "params:", so the message is cut there.
 */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const cut = (text: string | undefined) => text?.split('\nparams:')[0];
  const cause =
    error.cause instanceof Error ? { type: error.cause.name, message: cut(error.cause.message) } : undefined;
  return {
    type: error.name,
    code: (error as { code?: unknown }).code,
    message: cut(error.message),
    stack: error.stack
      ?.split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .slice(0, 15)
      .join('\n'),
    ...(cause ? { cause } : {}),
  };
}

/** A JSON logger; `destination` lets tests capture every line to prove nothing secret is written. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { err: serializeError } },
    destination,
  );
}

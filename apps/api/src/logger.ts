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

/** A JSON logger; `destination` lets tests capture every line to prove nothing secret is written. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

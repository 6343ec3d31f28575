import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// The only file that reads process.env: every setting is parsed and validated once, at start-up.

/** The repository root (apps/api/src -> ../../..), for defaults such as DATA_DIR. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

const flag = (fallback: boolean) =>
  z
    .stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] })
    .optional()
    .transform((value) => value ?? fallback);

const csv = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const settingsSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default(`${repoRoot}/data`),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    TARGET: z.enum(['postgres', 'oracle']).default('postgres'),
    // TARGET=postgres: the twin's schemas in another database than the app store's.
    TARGET_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    ORACLE_USER: z.string().min(1).optional(),
    ORACLE_PASSWORD: z.string().min(1).optional(),
    ORACLE_CONNECT_STRING: z.string().min(1).optional(),
    APPROVAL_REQUIRED: flag(true),
    SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
    WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    // Origins allowed to send state-changing requests besides the server's own (http://localhost:PORT etc).
    ALLOWED_ORIGINS: csv,
    // Local demo: plain `session` cookie without Secure, so http://localhost works in every browser.
    DEMO_MODE: z
      .stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'] })
      .optional(),
    // Only behind a reverse proxy: take the client address from X-Forwarded-For.
    TRUST_PROXY: flag(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ADMIN_BUILD_DIR: z.string().min(1).default(`${repoRoot}/apps/admin/build`),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(20),
    LOGIN_THROTTLE_MINUTES: z.coerce.number().positive().default(15),
    // How long a campaign list answer may be reused (every instance drops it when a campaign changes); 0: off.
    LIST_CACHE_SECONDS: z.coerce.number().min(0).default(10),
  })
  .superRefine((value, ctx) => {
    if (value.TARGET === 'oracle') {
      for (const key of ['ORACLE_USER', 'ORACLE_PASSWORD', 'ORACLE_CONNECT_STRING'] as const) {
        if (!value[key])
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when TARGET=oracle` });
      }
    }
  });

export type Settings = ReturnType<typeof toSettings>;

function toSettings(raw: z.output<typeof settingsSchema>) {
  const demoMode = raw.DEMO_MODE ?? raw.NODE_ENV !== 'production';
  const oracle =
    raw.ORACLE_USER && raw.ORACLE_PASSWORD && raw.ORACLE_CONNECT_STRING
      ? { user: raw.ORACLE_USER, password: raw.ORACLE_PASSWORD, connectString: raw.ORACLE_CONNECT_STRING }
      : undefined;
  return {
    nodeEnv: raw.NODE_ENV,
    port: raw.PORT,
    host: raw.HOST,
    dataDir: raw.DATA_DIR,
    databaseUrl: raw.DATABASE_URL,
    target: raw.TARGET,
    targetDatabaseUrl: raw.TARGET_DATABASE_URL,
    oracle,
    approvalRequired: raw.APPROVAL_REQUIRED,
    sessionIdleMs: raw.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: raw.SESSION_ABSOLUTE_HOURS * 3_600_000,
    webhookUrl: raw.WEBHOOK_URL,
    allowedOrigins: raw.ALLOWED_ORIGINS,
    demoMode,
    trustProxy: raw.TRUST_PROXY,
    logLevel: raw.LOG_LEVEL,
    adminBuildDir: raw.ADMIN_BUILD_DIR,
    listCacheMs: raw.LIST_CACHE_SECONDS * 1000,
    loginThrottle: {
      maxFailuresPerAccount: raw.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: raw.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: raw.LOGIN_THROTTLE_MINUTES * 60_000,
    },
  };
}

/** Parses settings from a plain record (tests pass their own; production passes process.env). */
export function parseSettings(source: Record<string, string | undefined>): Settings {
  const parsed = settingsSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`Invalid settings:\n${lines.join('\n')}`);
  }
  return toSettings(parsed.data);
}

/** Settings from the process environment. */
export function loadSettings(): Settings {
  return parseSettings(process.env);
}

// node-oracledb errors (ORA-, NJS-, DPI- codes) as DeployTargetErrors with messages a person can act on.
import { DeployTargetError, isDeployTargetError } from '../deploy-target-error';

interface KnownError {
  message: string;
  transient: boolean;
}

const TIMEOUT: KnownError = { message: 'Connection timeout', transient: true };
const LOST: KnownError = { message: 'Connection lost', transient: true };

/** The seed's wording where it has one ("ORA-00001: unique constraint violated", "Connection timeout"). */
const known: Record<string, KnownError> = {
  'ORA-00001': { message: 'ORA-00001: unique constraint violated', transient: false },
  'ORA-00054': { message: 'ORA-00054: the table is locked by another session', transient: true },
  'ORA-00060': { message: 'ORA-00060: deadlock detected', transient: true },
  'ORA-00942': {
    message: 'ORA-00942: table or view does not exist, or the deploy user has no grant on it',
    transient: false,
  },
  'ORA-01017': { message: 'ORA-01017: invalid username or password for the deploy user', transient: false },
  'ORA-01031': {
    message: 'ORA-01031: the deploy user lacks the privilege for this statement',
    transient: false,
  },
  'ORA-01400': { message: 'ORA-01400: a required column was left empty', transient: false },
  'ORA-01438': { message: 'ORA-01438: a number is larger than its column allows', transient: false },
  'ORA-01653': { message: 'ORA-01653: the tablespace is full (unable to extend table)', transient: false },
  'ORA-01654': { message: 'ORA-01654: the tablespace is full (unable to extend index)', transient: false },
  'ORA-01861': { message: 'ORA-01861: a date is not in YYYY-MM-DD form', transient: false },
  'ORA-02291': {
    message: 'ORA-02291: integrity constraint violated, parent key not found',
    transient: false,
  },
  'ORA-12899': { message: 'ORA-12899: value too large for column', transient: false },
  'ORA-03113': LOST,
  'ORA-03114': LOST,
  'ORA-03135': LOST,
  'ORA-12537': LOST,
  'ORA-12541': { message: 'ORA-12541: no listener at the Oracle address', transient: true },
  'ORA-12514': {
    message: 'ORA-12514: the Oracle service name is not known to the listener',
    transient: false,
  },
  'ORA-12170': TIMEOUT,
  'ORA-01013': TIMEOUT, // user requested cancel: what a call timeout looks like from the server side
  'NJS-040': TIMEOUT, // pool queue timeout
  'NJS-123': TIMEOUT, // call timeout exceeded
  'DPI-1067': TIMEOUT,
  'NJS-510': TIMEOUT, // connect timed out
  'NJS-500': LOST,
  'NJS-501': LOST,
  'NJS-503': { message: 'Connection could not be established', transient: true },
  'NJS-521': LOST,
  'DPI-1080': LOST,
};

/** The code node-oracledb puts on its errors ('ORA-00001', 'NJS-510'), or the one the message starts with. */
function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ORA|NJS|DPI)-\d+$/.test(code)) return code;
  const message = (error as { message?: unknown }).message;
  const match = typeof message === 'string' ? /^(ORA|NJS|DPI)-\d+/.exec(message) : null;
  return match?.[0];
}

export function toDeployTargetError(error: unknown): DeployTargetError {
  if (isDeployTargetError(error)) return error;
  const code = codeOf(error);
  const mapped = code ? known[code] : undefined;
  if (mapped)
    return new DeployTargetError(mapped.message, { code, transient: mapped.transient, cause: error });
  // Unknown: keep the database's first line (the rest is a help URL).
  const raw = error instanceof Error ? error.message : String(error);
  return new DeployTargetError(raw.split('\n')[0]!, { code, transient: false, cause: error });
}

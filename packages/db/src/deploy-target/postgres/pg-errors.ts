// PostgreSQL errors (SQLSTATE codes from node-postgres) as DeployTargetErrors.
import { DeployTargetError, isDeployTargetError } from '../deploy-target-error';

interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

/** SQLSTATE classes worth a retry: connection exceptions (08), shutdown/cancel (57P), lock timeouts. */
function isTransientSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === '57014' ||
    code === '55P03' ||
    code === '40001'
  );
}

export function toDeployTargetError(error: unknown): DeployTargetError {
  if (isDeployTargetError(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PgErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  if (code === '23505') {
    const constraint = typeof fields.constraint === 'string' ? ` (${fields.constraint})` : '';
    return new DeployTargetError(`unique constraint violated${constraint}`, {
      code,
      transient: false,
      cause: error,
    });
  }
  return new DeployTargetError(message, {
    code,
    transient: code ? isTransientSqlState(code) : false,
    cause: error,
  });
}

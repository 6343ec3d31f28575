/** Why a target write failed, in words a person can act on, and whether trying again may help. */
export class DeployTargetError extends Error {
  override readonly name = 'DeployTargetError';
  /** The database's own code, e.g. 'ORA-00001', 'NJS-510', '23505'. */
  readonly code: string | undefined;
  /** Lost connections and timeouts: worth retrying. Constraint violations and bad data: not. */
  readonly transient: boolean;

  constructor(message: string, options: { code?: string; transient: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.transient = options.transient;
  }
}

export function isDeployTargetError(error: unknown): error is DeployTargetError {
  return error instanceof DeployTargetError;
}

// @campaigns/db/oracle: the Oracle adapter on its own entry point, so that importing @campaigns/db does not load
// node-oracledb (openDeployTarget loads it only when asked for Oracle).
export { toDeployTargetError as oracleErrorToDeployTargetError } from './ora-errors';
export { allOracleSql } from './oracle-sql';
export type {
  OracleConnectionLike,
  OraclePoolLike,
  OracleSettings,
  OracleTargetOptions,
} from './oracle-target';
export { OracleTarget } from './oracle-target';

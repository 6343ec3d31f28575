// The target contract on Oracle: against a real server when ORACLE_USER / ORACLE_PASSWORD /
// ORACLE_CONNECT_STRING are set (the tables of oracle/schema.sql must exist), and always against the fake.
import { describeTargetContract } from '../target.contract';
import { FakeOracle } from './fake-oracle';
import { OracleTarget } from './oracle-target';

describeTargetContract(
  'OracleTarget over the fake connection',
  async () => new OracleTarget(new FakeOracle().pool()),
);

const { ORACLE_USER: user, ORACLE_PASSWORD: password, ORACLE_CONNECT_STRING: connectString } = process.env;
if (user && password && connectString) {
  describeTargetContract('a real Oracle server', () =>
    OracleTarget.connect({ user, password, connectString }),
  );
}

import { describeTargetContract } from '../target.contract';
import { PgliteTarget } from './pglite-target';

describeTargetContract('the PGlite twin', () => PgliteTarget.open('memory://'));

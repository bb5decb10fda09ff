import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('unattributed-session', path.join(__dirname, 'fixtures'));
ruleFixSuite('unattributed-session');

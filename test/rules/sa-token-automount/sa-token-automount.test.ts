import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('sa-token-automount', path.join(__dirname, 'fixtures'));
ruleFixSuite('sa-token-automount');

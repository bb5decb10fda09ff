import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('hardcoded-secret', path.join(__dirname, 'fixtures'));
ruleFixSuite('hardcoded-secret');

import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('provider-static-credentials', path.join(__dirname, 'fixtures'));
ruleFixSuite('provider-static-credentials');

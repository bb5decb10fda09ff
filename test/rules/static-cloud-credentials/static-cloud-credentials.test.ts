import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('static-cloud-credentials', path.join(__dirname, 'fixtures'));
ruleFixSuite('static-cloud-credentials');

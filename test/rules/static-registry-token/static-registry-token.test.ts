import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('static-registry-token', path.join(__dirname, 'fixtures'));
ruleFixSuite('static-registry-token');

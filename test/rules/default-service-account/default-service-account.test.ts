import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('default-service-account', path.join(__dirname, 'fixtures'));
ruleFixSuite('default-service-account');

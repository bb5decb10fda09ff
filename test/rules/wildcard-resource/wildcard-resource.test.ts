import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('wildcard-resource', path.join(__dirname, 'fixtures'));
ruleFixSuite('wildcard-resource');

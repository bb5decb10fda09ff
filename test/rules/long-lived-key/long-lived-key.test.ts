import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('long-lived-key', path.join(__dirname, 'fixtures'));
ruleFixSuite('long-lived-key');

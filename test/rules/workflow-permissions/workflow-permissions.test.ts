import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('workflow-permissions', path.join(__dirname, 'fixtures'));
ruleFixSuite('workflow-permissions');

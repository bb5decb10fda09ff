import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('rbac-wildcard', path.join(__dirname, 'fixtures'));

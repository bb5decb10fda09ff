import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('admin-access', path.join(__dirname, 'fixtures'));

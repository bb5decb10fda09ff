import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('hardcoded-secret', path.join(__dirname, 'fixtures'));

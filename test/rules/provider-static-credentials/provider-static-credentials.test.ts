import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('provider-static-credentials', path.join(__dirname, 'fixtures'));

import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('static-cloud-credentials', path.join(__dirname, 'fixtures'));

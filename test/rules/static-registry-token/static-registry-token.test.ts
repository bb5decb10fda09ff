import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('static-registry-token', path.join(__dirname, 'fixtures'));

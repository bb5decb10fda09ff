import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('long-lived-key', path.join(__dirname, 'fixtures'));

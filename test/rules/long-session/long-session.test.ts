import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('long-session', path.join(__dirname, 'fixtures'));

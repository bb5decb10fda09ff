import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('unattributed-session', path.join(__dirname, 'fixtures'));

import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('privilege-escalation', path.join(__dirname, 'fixtures'));

import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('wildcard-action', path.join(__dirname, 'fixtures'));

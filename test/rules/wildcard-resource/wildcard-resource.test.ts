import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('wildcard-resource', path.join(__dirname, 'fixtures'));

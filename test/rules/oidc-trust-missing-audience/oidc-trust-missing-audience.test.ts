import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('oidc-trust-missing-audience', path.join(__dirname, 'fixtures'));

import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('oidc-trust-unscoped', path.join(__dirname, 'fixtures'));

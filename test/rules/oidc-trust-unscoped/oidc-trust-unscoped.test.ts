import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('oidc-trust-unscoped', path.join(__dirname, 'fixtures'));
ruleFixSuite('oidc-trust-unscoped');

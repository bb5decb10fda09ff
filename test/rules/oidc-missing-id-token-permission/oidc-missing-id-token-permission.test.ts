import * as path from 'node:path';
import { ruleFixSuite } from '../fix-harness';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('oidc-missing-id-token-permission', path.join(__dirname, 'fixtures'));
ruleFixSuite('oidc-missing-id-token-permission');

import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('oidc-missing-id-token-permission', path.join(__dirname, 'fixtures'));

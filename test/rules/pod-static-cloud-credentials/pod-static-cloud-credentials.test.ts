import * as path from 'node:path';
import { ruleFixtureSuite } from '../fixture-harness';

ruleFixtureSuite('pod-static-cloud-credentials', path.join(__dirname, 'fixtures'));

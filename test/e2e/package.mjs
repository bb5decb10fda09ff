#!/usr/bin/env node
// Packages the working tree into a .vsix for the editor suites, without touching the checkout's
// dist/ (see lib/package-vsix.mjs).   node test/e2e/package.mjs --out FILE
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageVsix } from './lib/package-vsix.mjs';

const { values: args } = parseArgs({ options: { out: { type: 'string' } } });
if (!args.out) {
  console.error('usage: node test/e2e/package.mjs --out FILE.vsix');
  process.exit(2);
}
const t0 = Date.now();
try {
  const { vsix } = packageVsix(resolve(args.out));
  console.log(`packaged ${vsix} in ${Date.now() - t0} ms`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

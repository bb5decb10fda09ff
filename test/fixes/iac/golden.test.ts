import { before, describe, test } from 'node:test';
import { Engine } from '../../../server/src/engine/analyze';
import { listCases, runCase } from './harness';

/** The IaC fixes against their golden outputs (see harness.ts for the layout of a case). */
describe('IaC fixes: golden cases', () => {
  let engine: Engine;
  before(async () => {
    engine = await Engine.create();
  });
  for (const name of listCases()) test(name, () => runCase(engine, name));
});

import * as fs from 'node:fs';
import { DEFAULT_CONFIG } from '../server/src/engine/config';
import { Engine } from '../server/src/engine/analyze';
import { parseFile } from '../server/src/engine/parse';
import { syntaxOf } from '../server/src/dialects/detect';
import { resolveTargets, selectFiles } from '../server/src/cli/inputs';
import { scanFile } from '../server/src/cli/scan-file';
const cpu = (c0: NodeJS.CpuUsage) => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1000; };
(async () => {
  const engine = await Engine.create();
  const hcl = (engine as any).hclParser;
  const cwd = '/tmp/honest/bench';
  for (let r = 0; r < 3; r++) {
    let c0 = process.cpuUsage();
    const targets = await resolveTargets(['tree'], cwd);
    const sel = selectFiles(targets, cwd, { config: DEFAULT_CONFIG, configFile: '.keyless.yaml' } as any, 'scanned');
    const cands: any[] = [];
    for await (const c of { [Symbol.asyncIterator]: () => sel.candidates }) cands.push(c);
    const walk = cpu(c0);
    c0 = process.cpuUsage();
    const texts = cands.map((c) => { fs.statSync(c.absolute); return fs.readFileSync(c.absolute, 'utf8'); });
    const read = cpu(c0);
    c0 = process.cpuUsage();
    cands.forEach((c, i) => parseFile(c.enginePath, texts[i], syntaxOf(c.enginePath)!, hcl, Infinity).dispose());
    const parse = cpu(c0);
    c0 = process.cpuUsage();
    cands.forEach((c, i) => engine.analyze({ path: c.enginePath, text: texts[i] }, { config: DEFAULT_CONFIG, fixes: false }));
    const analyze = cpu(c0);
    c0 = process.cpuUsage();
    cands.forEach((c) => scanFile(c, engine, { config: DEFAULT_CONFIG }));
    const scanfile = cpu(c0);
    console.log(`walk ${walk.toFixed(0)} read ${read.toFixed(0)} parseFile ${parse.toFixed(0)} analyze ${analyze.toFixed(0)} (${(analyze / parse).toFixed(2)}x) scanFile(read+analyze+report) ${scanfile.toFixed(0)} ms cpu`);
  }
})();

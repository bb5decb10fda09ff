import * as fs from 'node:fs';
import { Engine } from './server/src/engine/analyze';
import { fixtureSeeds, corpusSeeds } from './test/property/seeds';
const norm = (x: string) => x.replace(/"[^"]*"/g, '"…"').replace(/\b(?:[a-z]+-)+[a-z]+ on this line/, '<rule> on this line');
(async () => {
  const engine = await Engine.create();
  const golden = new Set<string>();
  for (const d of fs.readdirSync('test/rules')) { if (!fs.existsSync(`test/rules/${d}/fixes`)) continue; for (const c of fs.readdirSync(`test/rules/${d}/fixes`)) { const p = `test/rules/${d}/fixes/${c}/applied.json`; if (fs.existsSync(p)) for (const t of JSON.parse(fs.readFileSync(p, 'utf8')).titles) golden.add(`${d}: ${norm(t)}`); } }
  const seen = new Map<string, string>();
  for (const seed of [...fixtureSeeds(), ...(corpusSeeds() ?? [])]) {
    const r = engine.analyze({ path: seed.path, text: seed.text }, { workspace: { files: new Map(), repository: { host: 'github.com', owner: 'acme', name: 'site' }, immutableSubjects: false } });
    for (const f of r.findings) for (const x of f.fixes) { const k = `${f.rule}: ${norm(x.title)}`; if (!golden.has(k) && !k.includes('Suppress') && !seen.has(k)) seen.set(k, seed.source); }
  }
  for (const [k, v] of [...seen].sort()) console.log(k, '   <=', v);
})();

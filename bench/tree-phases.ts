/**
 * Where a scan's analysis time goes beyond parsing, per dialect, in one process: every file of a
 * folder (default: a generated 5,000-file tree) read into memory, then round after round of bare
 * parse, and of the engine's phases (parse, dialect facts, secret scan, rules with their
 * suppression lookups), summed by dialect, in CPU time (the process's, so V8's own threads count
 * too). Steady state (after two rounds the JIT is warm): what the analysis itself costs, apart
 * from what a cold process adds (compiling it, start-up), which `bench/scan-cpu.ts` measures.
 *
 *   node --import tsx bench/tree-phases.ts [FOLDER]
 *
 * KEYLESS_BENCH_ROUNDS (default 5) timed rounds after 2 warm-up rounds; the median round is printed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readsFile, syntaxOf } from '../server/src/dialects/detect';
import { extractFacts } from '../server/src/engine/extract';
import { parseFile } from '../server/src/engine/parse';
import { isSuppressed } from '../server/src/engine/suppressions';
import { RULES } from '../server/src/rules';
import { scanText } from '../server/src/secrets/scan';
import { parseDotenv } from '../server/src/syntax/dotenv';
import { loadHcl, parseHcl } from '../server/src/syntax/hcl';
import { parseJson } from '../server/src/syntax/json';
import { LineIndex } from '../server/src/syntax/text';
import { parseYaml } from '../server/src/syntax/yaml';
import { awsCatalog } from '../server/src/workspace/aws-catalog';
import { readHclWasm } from '../server/src/workspace/grammar';
import { writeTree } from './generate';
import { median } from './lsp-bench';

interface TreeFile {
  path: string;
  text: string;
  syntax: NonNullable<ReturnType<typeof syntaxOf>>;
}

function walk(dir: string, root: string, out: TreeFile[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, root, out);
    else if (entry.isFile() && readsFile(entry.name)) {
      const text = fs.readFileSync(full, 'utf8');
      const syntax = syntaxOf(full, text);
      if (syntax) out.push({ path: path.relative(root, full), text, syntax });
    }
  }
}

const PHASES = ['parse', 'facts', 'scanText', 'rules'] as const;
type Phase = (typeof PHASES)[number];

/** CPU time of the process so far, ms. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function main(): Promise<void> {
  let folder = process.argv[2];
  if (folder === undefined) {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-tree-phases-'));
    writeTree(folder, { files: 5000 });
  }
  const rounds = Number(process.env.KEYLESS_BENCH_ROUNDS ?? 5);
  const hcl = await loadHcl(readHclWasm());
  const files: TreeFile[] = [];
  walk(folder, folder, files);

  const bareBySyntax = new Map<string, number[]>();
  const bare = (): number => {
    const t0 = cpuNow();
    const bySyntax = new Map<string, number>();
    for (const f of files) {
      const t = cpuNow();
      if (f.syntax === 'yaml') parseYaml(f.text);
      else if (f.syntax === 'json') parseJson(f.text);
      else if (f.syntax === 'dotenv') parseDotenv(f.text);
      else parseHcl(hcl, f.text).tree?.delete();
      bySyntax.set(f.syntax, (bySyntax.get(f.syntax) ?? 0) + cpuNow() - t);
    }
    for (const [s, ms] of bySyntax) bareBySyntax.set(s, [...(bareBySyntax.get(s) ?? []), ms]);
    return cpuNow() - t0;
  };
  // Each file's phases, summed by the dialect it was read as ('none': the secret scan alone).
  const phased = (): Map<string, Record<Phase, number>> => {
    const byDialect = new Map<string, Record<Phase, number>>();
    for (const f of files) {
      const t0 = cpuNow();
      const parsed = parseFile(f.path, f.text, f.syntax, hcl, Infinity);
      const t1 = cpuNow();
      const row = byDialect.get(parsed.dialect ?? 'none') ?? { parse: 0, facts: 0, scanText: 0, rules: 0 };
      byDialect.set(parsed.dialect ?? 'none', row);
      try {
        const facts = extractFacts(parsed, f.text);
        const t2 = cpuNow();
        scanText(f.text, parsed.locator);
        const t3 = cpuNow();
        row.facts += t2 - t1 - (t3 - t2);
        row.scanText += t3 - t2;
        const index = new LineIndex(f.text);
        for (const rule of RULES) {
          if (!(parsed.dialect === null ? rule.everyFile === true : rule.dialects.includes(parsed.dialect))) continue;
          for (const finding of rule.check({ path: f.path, dialect: parsed.dialect, facts, catalog: awsCatalog() })) {
            if (!isSuppressed(rule.id, finding.span.start, parsed, index)) index.rangeOf(finding.span);
          }
        }
        row.rules += cpuNow() - t3;
      } finally {
        const t5 = cpuNow();
        parsed.dispose();
        row.parse += t1 - t0 + cpuNow() - t5;
      }
    }
    return byDialect;
  };

  for (let i = 0; i < 2; i++) {
    bare();
    phased();
  }
  const bareMs: number[] = [];
  const rows = new Map<string, Record<Phase, number[]>>();
  for (let i = 0; i < rounds; i++) {
    bareMs.push(bare());
    for (const [dialect, row] of phased()) {
      const into = rows.get(dialect) ?? { parse: [], facts: [], scanText: [], rules: [] };
      rows.set(dialect, into);
      for (const p of PHASES) into[p].push(row[p]);
    }
  }
  console.log(`${files.length} files; bare parse ${median(bareMs).toFixed(0)} ms of CPU (median of ${rounds} rounds)`);
  console.log(`bare parse by syntax: ${[...bareBySyntax].map(([s, ms]) => `${s} ${median(ms).toFixed(0)} ms`).join(', ')}`);
  console.log(`| dialect | ${PHASES.join(' | ')} |`);
  const total: Record<Phase, number> = { parse: 0, facts: 0, scanText: 0, rules: 0 };
  for (const [dialect, row] of [...rows].sort()) {
    console.log(`| ${dialect} | ${PHASES.map((p) => median(row[p]).toFixed(1)).join(' | ')} |`);
    for (const p of PHASES) total[p] += median(row[p]);
  }
  console.log(`| all | ${PHASES.map((p) => total[p].toFixed(1)).join(' | ')} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The parse-only baseline for `keyless scan`: walk a folder, read every file Keyless reads and parse
 * it with the same parsers (parseYaml, parseJson, parseHcl), one after another in one process, and
 * nothing else. `bench/run.ts` bundles this with esbuild, as `dist/cli.js` is bundled, and runs it
 * as a process, so the two compare like for like: node start-up, loading the code and the
 * WebAssembly, reading, parsing. It prints one JSON line: { files, bytes, parseMs }, where parseMs
 * is the in-process time of the read + parse loop alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readsFile, syntaxOf } from '../server/src/dialects/detect';
import { parseDotenv } from '../server/src/syntax/dotenv';
import { loadHcl, parseHcl } from '../server/src/syntax/hcl';
import { readHclWasm } from '../server/src/workspace/grammar';
import { parseJson } from '../server/src/syntax/json';
import { parseYaml } from '../server/src/syntax/yaml';

function walk(dir: string, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && readsFile(entry.name)) out.push(full);
  }
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (root === undefined) throw new Error('usage: parse-only FOLDER');
  const hcl = await loadHcl(readHclWasm());
  const t0 = performance.now();
  const files: string[] = [];
  walk(root, files);
  let bytes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += Buffer.byteLength(text);
    // A `*.template` takes its syntax from its text, and is not parsed when that is not a template.
    const syntax = syntaxOf(file, text);
    if (syntax === 'yaml') parseYaml(text);
    else if (syntax === 'json') parseJson(text);
    else if (syntax === 'dotenv') parseDotenv(text);
    else if (syntax === 'hcl') parseHcl(hcl, text).tree?.delete();
  }
  process.stdout.write(`${JSON.stringify({ files: files.length, bytes, parseMs: performance.now() - t0 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/analyze';
import type { HclWasm } from '../syntax/hcl';
import { awsCatalog } from './aws-catalog';

/**
 * The HCL parser's WebAssembly modules, read from disk here so that the engine reads no file. The
 * bundles in dist/ carry both .wasm files beside them (the build copies them); when the sources
 * run directly (tests, bench), they come from node_modules at the repository root.
 */
export function readHclWasm(): HclWasm {
  return {
    runtime: fs.readFileSync(locateWasm(path.join('web-tree-sitter', 'web-tree-sitter.wasm'))),
    grammar: fs.readFileSync(locateWasm(path.join('@tree-sitter-grammars', 'tree-sitter-hcl', 'tree-sitter-terraform.wasm'))),
  };
}

/**
 * An engine, with the grammar read from disk and the AWS action catalog over the data beside it
 * (`aws-catalog.ts`; services are read as rules ask for them): what the CLI, its worker threads,
 * the server, tests and bench start with.
 */
export function createEngine(): Promise<Engine> {
  return Engine.create({ hclWasm: readHclWasm(), catalog: awsCatalog() });
}

function locateWasm(modulePath: string): string {
  const beside = path.join(__dirname, path.basename(modulePath));
  if (fs.existsSync(beside)) return beside;
  return path.resolve(__dirname, '..', '..', '..', 'node_modules', modulePath);
}

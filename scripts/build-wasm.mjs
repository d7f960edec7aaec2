#!/usr/bin/env node
/**
 * Assembles the WebAssembly text sources into the binaries the compiled code
 * loads (src/…/X.wat → dist/src/…/X.wasm, next to the compiled .js), with the
 * wabt package from node_modules: offline, no toolchain. Run before tsc by
 * `npm run build`; plain .mjs so it needs no compile step itself.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src/body-model/pose-blend.wat'];

const wabt = await initWabt();
for (const src of SOURCES) {
  const path = join(root, src);
  const out = join(root, 'dist', src.replace(/\.wat$/, '.wasm'));
  let mod;
  try {
    mod = wabt.parseWat(src, readFileSync(path, 'utf8'), { simd: true });
    mod.validate();
  } catch (err) {
    process.stderr.write(`build-wasm: ${src}: ${String(err.message ?? err).trim()}\n`);
    process.exit(1);
  }
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
  mod.destroy();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, buffer);
  process.stdout.write(`build-wasm: ${src} → ${relative(root, out)} (${buffer.length} bytes)\n`);
}

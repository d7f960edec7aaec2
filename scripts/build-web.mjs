#!/usr/bin/env node
/**
 * Bundles the front end (src/web) with esbuild into dist/web/app.js and
 * dist/web/app.css: one minified IIFE, no runtime fetches, inlined by
 * render_report.html and the viewer's pages. Run after `tsc` (which type-checks src/web).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const common = { absWorkingDir: root, bundle: true, minify: true, legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/web/main.ts'], outfile: 'dist/web/app.js', format: 'iife', target: ['es2020', 'chrome100'] });
await build({ ...common, entryPoints: ['src/web/style.css'], outfile: 'dist/web/app.css' });

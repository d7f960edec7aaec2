/**
 * Seeded fuzz test of frame classification: 2400 mutations of valid frames
 * (our writer's and numpy's) go through the classifier in-process, then ~300
 * of them, with valid frames and special files, through the real CLI's
 * --dry-run and a small real render. Nothing may throw, hang, print a stack
 * trace, or grow memory by more than 64 MB; every file gets its report entry.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFrameFile } from '../../src/scan/read-frame.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import type { DataCheck } from '../../src/types.js';
import { mutate, ZERO_SIZE_DTYPES, HUGE_SHAPES, type Base, type Mutant } from '../helpers/fuzz-mutate.js';
import { numpyBases, writerBases } from '../helpers/fuzz-bases.js';
import { runCli, readReport, type CliRun } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/paths.js';

const SEED = 0x5eed8;
const CASES = 2400;
const CLI_MUTANTS = 300;
const MB = 1024 * 1024;
const CHECKS = new Set<DataCheck>(['ok', 'no_person', 'missing_key', 'corrupt', 'invalid_value', 'missing_file']);
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

const root = mkdtempSync(join(tmpdir(), 'br-fuzz-'));
/** The in-process mutants go to a RAM-backed folder where there is one: the classifier is under test, not the disk. */
const scratch = (() => {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize > 64 * MB) return mkdtempSync('/dev/shm/br-fuzz-');
  } catch { /* no /dev/shm: use the temp folder */ }
  return mkdtempSync(join(root, 'mutants-'));
})();
after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});
let bases: Base[] = [];
/** Mutants kept for the CLI runs, with the in-process result. */
const kept: Array<{ m: Mutant; check: DataCheck; base: string }> = [];

before(async () => {
  bases = [...await writerBases(join(root, 'writer')), ...numpyBases(join(root, 'numpy'))];
});

test('the valid bases classify ok (so mutations start from real frames)', () => {
  assert.ok(bases.some((b) => b.name.startsWith('numpy_savez_compressed')), 'a numpy savez_compressed base');
  for (const b of bases) {
    const path = join(root, `base_${b.name}`);
    writeFileSync(path, b.bytes);
    const r = readFrameFile(path, 'all');
    assert.equal(r.check, 'ok', `${b.name}: ${r.detail}`);
  }
});

test(`${CASES} mutated frames: never throws, one of the checks, bounded memory`, (t) => {
  const rand = mulberry32(SEED);
  const byCheck: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const rss0 = process.memoryUsage().rss;
  let peakGrowth = 0;
  const certain = { zeroSizeHuge: 0, object: 0 };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CASES; i++) {
    const base = bases[i % bases.length];
    const m = mutate(base, rand);
    const path = join(scratch, `m_${i}.npz`);
    writeFileSync(path, m.bytes);
    const selector = i % 7 === 0 ? 'all' : 0;
    const about = `case ${i} (${base.name}, ${m.kind}: ${m.what})`;
    let r;
    try {
      r = readFrameFile(path, selector);
    } catch (err) {
      assert.fail(`${about} threw: ${(err as Error).stack}`);
    }
    assert.ok(CHECKS.has(r.check), `${about}: check ${r.check}`);
    if (r.check === 'ok') assert.equal(r.detail, null, about);
    else assert.ok(typeof r.detail === 'string' && r.detail.length > 0 && !r.detail.includes('\n'), `${about}: detail ${JSON.stringify(r.detail)}`);
    // Where the outcome is certain, check it: a cut file has lost its end record...
    if (m.kind === 'truncate') assert.equal(r.check, 'corrupt', `${about}: ${r.detail}`);
    // ...and an array the classifier reads, declaring a huge shape of a zero-size dtype, or of objects, is refused.
    const readKey = m.entry === 'person_ids.npy' || /^person_0_(smplx_\w+|cam_trans)\.npy$/.test(m.entry ?? '');
    if (m.kind === 'npy_header' && readKey && selector === 0 && ZERO_SIZE_DTYPES.includes(m.descr!) && HUGE_SHAPES.includes(m.shape!)) {
      assert.equal(r.check, 'corrupt', `${about}: ${r.detail}`);
      assert.match(r.detail!, /absurd shape|unsupported dtype|data is truncated/, about);
      certain.zeroSizeHuge++;
    }
    if (m.kind === 'npy_header' && readKey && selector === 0 && /O/.test(m.descr ?? '')) {
      assert.equal(r.check, 'corrupt', `${about}: ${r.detail}`);
      certain.object++;
    }
    byCheck[r.check] = (byCheck[r.check] ?? 0) + 1;
    byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - rss0);
    if (kept.length < CLI_MUTANTS && i % Math.floor(CASES / CLI_MUTANTS) === 0) {
      // The CLI reads person 0 by default.
      kept.push({ m, check: selector === 0 ? r.check : readFrameFile(path, 0).check, base: base.name });
    }
    unlinkSync(path);
  }
  const cpu = process.cpuUsage(cpu0);
  t.diagnostic(`${CASES} cases in ${((performance.now() - t0) / 1000).toFixed(2)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s); checks ${JSON.stringify(byCheck)}; kinds ${JSON.stringify(byKind)}; peak rss growth ${(peakGrowth / MB).toFixed(1)} MB; outcomes checked ${JSON.stringify(certain)}`);
  assert.ok(certain.zeroSizeHuge > 0 && certain.object > 0, `the certain outcomes were exercised: ${JSON.stringify(certain)}`);
  assert.ok(peakGrowth < 64 * MB, `resident memory grew by ${(peakGrowth / MB).toFixed(1)} MB over the run`);
  // The mutations must reach past the zip layer: some still read as frames, some fail on their values or keys.
  assert.ok((byCheck.corrupt ?? 0) > CASES * 0.2, JSON.stringify(byCheck));
  assert.ok((byCheck.ok ?? 0) > 0, JSON.stringify(byCheck));
  assert.ok((byCheck.invalid_value ?? 0) + (byCheck.missing_key ?? 0) + (byCheck.no_person ?? 0) > 0, JSON.stringify(byCheck));
});

const frameName = (n: number) => `frame_${String(n).padStart(4, '0')}_params.npz`;

/** Runs the CLI recording its peak resident memory (through a preloaded exit hook). */
async function runMeasured(args: string[]): Promise<CliRun & { maxRss: number }> {
  const rssDir = mkdtempSync(join(root, 'rss-'));
  const hook = pathToFileURL(join(repoRoot, 'dist/test/helpers/fuzz-maxrss.js')).href;
  const r = await runCli(args, { env: { NODE_OPTIONS: `--import=${hook}`, FUZZ_MAXRSS_DIR: rssDir } });
  const main = readdirSync(rssDir).map((f) => JSON.parse(readFileSync(join(rssDir, f), 'utf8')))
    .find((x) => String(x.argv[0]).endsWith('batch-render'));
  assert.ok(main, `no memory record of the CLI process (${r.stderr})`);
  return { ...r, maxRss: main.maxRssBytes };
}

function assertCleanRun(r: CliRun, out: string, names: string[]): any {
  assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, STACK, 'no stack trace');
  assert.doesNotMatch(r.stderr, /internal error/);
  const report = readReport(out);
  assert.equal(report.frames.length, names.length, 'one report entry per file');
  report.frames.forEach((f: any, i: number) => {
    assert.equal(f.frame, i);
    assert.equal(f.file, names[i]);
    assert.ok(CHECKS.has(f.check), `${f.file}: ${f.check}`);
  });
  return report;
}

test(`the real CLI --dry-run over ${CLI_MUTANTS} mutants, valid frames and special files: exit 0/3, an entry per file, bounded memory`, async (t) => {
  assert.equal(kept.length, CLI_MUTANTS, 'the in-process run kept its mutants');
  const rand = mulberry32(SEED + 1);
  const dir = join(root, 'cli');
  const validDir = join(root, 'cli-valid');
  mkdirSync(dir);
  mkdirSync(validDir);
  // Mutants, valid frames and special files, interleaved by seed.
  type Item = { write: (path: string) => void; expect?: { check: DataCheck; detail?: RegExp } };
  const items: Item[] = kept.map((k) => ({ write: (p) => writeFileSync(p, k.m.bytes), expect: { check: k.check } }));
  for (let i = 0; i < 20; i++) items.push({ write: (p) => writeFileSync(p, bases[i % bases.length].bytes), expect: { check: 'ok' } });
  items.push({ write: (p) => execFileSync('mkfifo', [p]), expect: { check: 'corrupt', detail: /^not a regular file: fifo$/ } });
  items.push({ write: (p) => symlinkSync('/dev/zero', p), expect: { check: 'corrupt', detail: /^not a regular file: character device$/ } });
  items.push({ write: (p) => mkdirSync(p), expect: { check: 'corrupt', detail: /^not a regular file: directory$/ } });
  items.push({ write: (p) => { writeFileSync(p, 'no zip'); truncateSync(p, 3 * 1024 * MB); }, expect: { check: 'corrupt', detail: /^not a zip archive$/ } });
  for (let i = items.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [items[i], items[j]] = [items[j], items[i]]; }
  const names = items.map((_, i) => frameName(i));
  items.forEach((it, i) => it.write(join(dir, names[i])));
  // The same number of valid frames: the memory a normal dry run of this length needs.
  names.forEach((n, i) => writeFileSync(join(validDir, n), bases[i % bases.length].bytes));

  const baseline = await runMeasured(['--npz_dir', validDir, '--dry-run', '--output_dir', join(root, 'out-valid')]);
  assert.equal(baseline.code, 0, baseline.stderr);
  const out = join(root, 'out-cli');
  const r = await runMeasured(['--npz_dir', dir, '--dry-run', '--output_dir', out]);
  const report = assertCleanRun(r, out, names);
  report.frames.forEach((f: any, i: number) => {
    const want = items[i].expect!;
    assert.equal(f.check, want.check, `${f.file}: ${f.detail}`);
    if (want.detail) assert.match(f.detail, want.detail, f.file);
  });
  const growth = r.maxRss - baseline.maxRss;
  t.diagnostic(`dry run peak rss ${(r.maxRss / MB).toFixed(0)} MB vs ${(baseline.maxRss / MB).toFixed(0)} MB for valid frames only; reasons ${JSON.stringify(report.reasons)}`);
  assert.ok(growth < 64 * MB, `peak memory ${(r.maxRss / MB).toFixed(0)} MB, ${(growth / MB).toFixed(0)} MB over a dry run of valid frames`);
});

test('a small real render of 20 mutants and 5 valid frames: exit 0/3, an entry per file, no stack trace', async () => {
  const dir = join(root, 'render');
  mkdirSync(dir);
  const picks = [...kept.slice(0, 20).map((k) => k.m.bytes), ...bases.slice(0, 5).map((b) => b.bytes)];
  const rand = mulberry32(SEED + 2);
  for (let i = picks.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [picks[i], picks[j]] = [picks[j], picks[i]]; }
  const names = picks.map((_, i) => frameName(i));
  picks.forEach((b, i) => writeFileSync(join(dir, names[i]), b));
  const out = join(root, 'out-render');
  const r = await runCli(['--npz_dir', dir, '--output_dir', out, '--img_size', '64']);
  const report = assertCleanRun(r, out, names);
  assert.ok(report.totals.rendered >= 5, `the valid frames render (${JSON.stringify(report.totals)})`);
});

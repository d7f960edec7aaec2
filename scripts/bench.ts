/**
 * `npm run bench`: runs the real CLI as a user would on a generated OSX-format
 * sequence (12 % no-person frames) with a 10475-vertex SMPL-X-layout body,
 * and reports medians of several runs: end-to-end frames/s (PNG + MP4, PNG
 * only, MP4 only), --dry-run frames/s, peak resident memory of the whole
 * process tree (CLI, render workers, ffmpeg, Xvfb), the tool's own per-stage
 * timers, and a long sequence against the short one.
 *
 *   node dist/scripts/bench.js [--frames 1800] [--long 7200] [--runs 3] [--out bench_out] [--img 720] [--concurrency N] [--skip-long] [--only 'png+mp4,png+mp4 glx']
 * Every run renders into a fresh folder (and with --force); 'no-op re-run' runs the same
 * command again over one full run's output, which resume reuses frame for frame.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const cli = join(repo, 'bin', 'batch-render');

interface Args { frames: number; long: number; runs: number; out: string; img: number; concurrency: string | null; skipLong: boolean; only: string[] | null }

function parseArgs(argv: string[]): Args {
  const a: Args = { frames: 1800, long: 7200, runs: 3, out: join(repo, 'bench_out'), img: 720, concurrency: null, skipLong: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i].replace(/_/g, '-');
    const v = () => { const x = argv[++i]; if (x === undefined) throw new Error(`${k} needs a value`); return x; };
    if (k === '--frames') a.frames = Number(v());
    else if (k === '--long') a.long = Number(v());
    else if (k === '--runs') a.runs = Number(v());
    else if (k === '--out') a.out = resolve(v());
    else if (k === '--img') a.img = Number(v());
    else if (k === '--concurrency') a.concurrency = v();
    else if (k === '--skip-long') a.skipLong = true;
    else if (k === '--only') a.only = v().split(',').map((x) => x.trim());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return a;
}

/**
 * Memory of a process and all its descendants, from /proc: the sum of RSS
 * (counts shared library pages once per process) and the sum of PSS (shares
 * them out, so the tree's total is the physical memory it uses).
 */
function treeMemory(root: number): { rss: number; pss: number } {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch { /* exited meanwhile */ }
  }
  let rss = 0;
  let pss = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const roll = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+)/m.exec(roll)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0) * 1024;
    } catch { /* exited */ }
    stack.push(...(children.get(pid) ?? []));
  }
  return { rss, pss };
}

interface RunResult { wallS: number; framesPerS: number; peakMB: number; peakRssMB: number; exitCode: number; report: Record<string, any> }

/** Runs one render into a fresh `outDir`, or into the one there (`keep`, for the no-op re-run). */
function runCli(args: string[], frames: number, outDir: string, keep = false): Promise<RunResult> {
  if (!keep) rmSync(outDir, { recursive: true, force: true });
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    // Run the launcher itself, as a user's shell would (its shebang sets the malloc environment).
    const child = spawn(cli, [...args, '--output_dir', outDir], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
    let peak = 0;
    let peakRss = 0;
    const timer = setInterval(() => {
      const m = treeMemory(child.pid!);
      peak = Math.max(peak, m.pss);
      peakRss = Math.max(peakRss, m.rss);
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallS = (performance.now() - t0) / 1000;
      const reportPath = join(outDir, 'render_report.json');
      if (!existsSync(reportPath)) return reject(new Error(`no report (exit ${code}): ${stderr}`));
      const report = JSON.parse(readFileSync(reportPath, 'utf8'));
      resolveRun({ wallS, framesPerS: frames / wallS, peakMB: peak / 2 ** 20, peakRssMB: peakRss / 2 ** 20, exitCode: code ?? -1, report });
    });
  });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function prepare(a: Args, frames: number): Promise<string> {
  const dir = join(a.out, 'data', `seq_${frames}`);
  if (!existsSync(join(dir, '.complete'))) {
    const { writeDemoSequence } = await import('../src/demo-data/write-sequence.js');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`bench: writing ${frames} demo frames (12% no person) to ${dir}\n`);
    await writeDemoSequence(dir, { frames, seed: 1, noPersonRate: 0.12, failures: false });
    writeFileSync(join(dir, '.complete'), '');
  }
  return dir;
}

async function prepareModel(a: Args): Promise<{ path: string; vertices: number; faces: number }> {
  const path = join(a.out, 'data', 'SMPLX_NEUTRAL.npz');
  const { writeDemoBody } = await import('../src/body-model/demo-body/write-demo-body.js');
  const { openNpz, MODEL_ENTRY_LIMIT } = await import('../src/npz/read-npz.js');
  if (!existsSync(path)) {
    mkdirSync(join(a.out, 'data'), { recursive: true });
    process.stderr.write(`bench: writing a SMPL-X-sized demo body to ${path}\n`);
    await writeDemoBody(path, { targetVertices: 10475 });
  }
  const npz = openNpz(path, MODEL_ENTRY_LIMIT);
  return { path, vertices: npz.get('v_template').shape[0], faces: npz.get('f').shape[0] };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  mkdirSync(a.out, { recursive: true });
  const model = await prepareModel(a);
  const seq = await prepare(a, a.frames);
  const common = ['--npz_dir', seq, '--model_path', model.path, '--img_size', String(a.img), '--use_fallback',
    ...(a.concurrency ? ['--concurrency', a.concurrency] : [])];
  const fresh = ['--force'];
  const variants: Array<{ name: string; args: string[] }> = [
    { name: 'png+mp4', args: [] },
    // The GLX fallback (headless-gl on Xvfb) against the default EGL backend.
    { name: 'png+mp4 glx', args: ['--gl', 'glx'] },
    { name: 'png only', args: ['--no-mp4'] },
    { name: 'mp4 only', args: ['--no-png'] },
    { name: 'dry-run', args: ['--dry-run'] },
    // The knobs, against the defaults above.
    { name: 'png+mp4 concurrency 2', args: ['--concurrency', '2'] },
    { name: 'png+mp4 png level 6', args: ['--png_compression', '6'] },
    // Resume: the same command again over a finished output reuses every frame.
    { name: 'no-op re-run', args: [] },
  ].filter((v) => !a.concurrency || !v.args.includes('--concurrency')).filter((v) => !a.only || a.only.includes(v.name));
  const results: Record<string, any> = {};
  for (const v of variants) {
    const runs: RunResult[] = [];
    for (let r = 0; r < a.runs; r++) {
      if (v.name === 'no-op re-run') await runCli([...common, ...fresh], a.frames, join(a.out, 'run'));
      const noop = v.name === 'no-op re-run';
      const res = await runCli([...common, ...(noop ? [] : fresh), ...v.args], a.frames, join(a.out, 'run'), noop);
      if (res.exitCode !== 0) throw new Error(`${v.name}: exit ${res.exitCode}`);
      runs.push(res);
      process.stderr.write(`bench: ${v.name} run ${r + 1}/${a.runs}: ${res.framesPerS.toFixed(1)} frames/s, peak ${res.peakMB.toFixed(0)} MB PSS / ${res.peakRssMB.toFixed(0)} MB RSS\n`);
    }
    const stageKeys = Object.keys(runs[0].report.timing.stages_ms_per_rendered_frame ?? {});
    results[v.name] = {
      frames: a.frames,
      runs: runs.map((r) => ({ wall_s: +r.wallS.toFixed(3), frames_per_s: +r.framesPerS.toFixed(1), peak_pss_mb: +r.peakMB.toFixed(1), peak_rss_mb: +r.peakRssMB.toFixed(1) })),
      median_frames_per_s: +median(runs.map((r) => r.framesPerS)).toFixed(1),
      median_peak_mb: +median(runs.map((r) => r.peakMB)).toFixed(1),
      median_peak_rss_mb: +median(runs.map((r) => r.peakRssMB)).toFixed(1),
      median_stage_ms_per_frame: Object.fromEntries(stageKeys.map((k) => [k, +median(runs.map((r) => r.report.timing.stages_ms_per_rendered_frame[k])).toFixed(2)])),
      renderer: runs[0].report.renderer ? `${runs[0].report.renderer.device}: ${runs[0].report.renderer.gl_renderer}` : null,
      render_processes: runs[0].report.renderer?.render_processes ?? null,
    };
  }
  if (!a.skipLong) {
    const longSeq = await prepare(a, a.long);
    const res = await runCli(['--npz_dir', longSeq, ...common.slice(2), ...fresh], a.long, join(a.out, 'run'));
    results[`png+mp4 ${a.long} frames`] = { frames: a.long, median_frames_per_s: +res.framesPerS.toFixed(1), median_peak_mb: +res.peakMB.toFixed(1), median_peak_rss_mb: +res.peakRssMB.toFixed(1), runs: 1,
      median_stage_ms_per_frame: res.report.timing.stages_ms_per_rendered_frame };
    process.stderr.write(`bench: long run ${a.long} frames: ${res.framesPerS.toFixed(1)} frames/s, peak ${res.peakMB.toFixed(0)} MB PSS / ${res.peakRssMB.toFixed(0)} MB RSS\n`);
  }
  rmSync(join(a.out, 'run'), { recursive: true, force: true });
  const machine = { cpus: cpus().length, cpu_model: cpus()[0]?.model, mem_gb: +(totalmem() / 2 ** 30).toFixed(1), node: process.version };
  const out = { date: new Date().toISOString(), machine, model, img_size: a.img, runs_per_variant: a.runs, results };
  writeFileSync(join(a.out, 'bench-results.json'), JSON.stringify(out, null, 2) + '\n');

  const rows = Object.entries(results).map(([k, r]) => `| ${k.padEnd(24)} | ${String(r.frames).padStart(6)} | ${String(r.median_frames_per_s).padStart(9)} | ${String(r.median_peak_mb).padStart(12)} | ${String(r.median_peak_rss_mb).padStart(12)} |`);
  console.log(`batch-render benchmark — ${machine.cpus} cores (${machine.cpu_model}), ${a.img}×${a.img}, model ${model.vertices} vertices / ${model.faces} faces, median of ${a.runs} runs`);
  console.log('| variant                  | frames | frames/s  | peak PSS MB  | peak RSS MB  |');
  console.log('|--------------------------|--------|-----------|--------------|--------------|');
  for (const r of rows) console.log(r);
  const main = results['png+mp4'];
  if (main) {
    console.log(`\nper-stage ms per rendered frame (png+mp4, summed over workers): ${Object.entries(main.median_stage_ms_per_frame).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`renderer: ${main.renderer}; render processes: ${main.render_processes}`);
  }
  console.log('peak PSS: physical memory of the whole process tree (CLI, render workers, ffmpeg, Xvfb), shared pages counted once; peak RSS: the same with shared library pages counted in every process.');
  console.log(`results: ${join(a.out, 'bench-results.json')}`);
}

main().catch((err) => { console.error(`bench: ${err.message}`); process.exitCode = 1; });

/**
 * The EGL backend end to end, through the real CLI with DISPLAY unset: the
 * golden frame and the demo sequence against the reviewed golden image and
 * the GLX backend's images (the picture test's threshold), no X server in
 * the process tree while it runs, one EGL context per worker, and the
 * fallback and failure paths.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { listEglDevices } from '../../src/render/egl/list-egl-devices.js';
import { isNvidiaDevice } from '../../src/render/egl/pick-egl-device.js';
import { runCli, readReport } from '../helpers/run-cli.js';
import { fixture } from '../helpers/paths.js';
import { xServerProcesses } from './egl-no-x.js';

const GOLDEN = fixture('expected', 'golden_mesh_0006.png');
const NO_DISPLAY = { DISPLAY: undefined };
let seq: string;

before(async () => {
  seq = mkdtempSync(join(tmpdir(), 'br-egl-seq-'));
  await writeDemoSequence(seq, { frames: 8, seed: 5, failures: false }); // the golden image's sequence
});

/** Runs the CLI while watching /proc: X servers started under us, and render workers that mapped Mesa's EGL. */
async function watchedRun(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = mkdtempSync(join(tmpdir(), 'br-egl-out-'));
  const xServers = new Set<number>();
  const eglWorkers = new Set<number>();
  const look = () => {
    for (const p of xServerProcesses()) if (p.ours) xServers.add(p.pid);
    for (const pid of descendants(process.pid)) {
      try {
        const worker = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('render-worker.js');
        if (worker && /libEGL_mesa\.so/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'))) eglWorkers.add(pid);
      } catch {
        // exited
      }
    }
  };
  const timer = setInterval(look, 20);
  try {
    const r = await runCli(['--npz_dir', seq, '--output_dir', out, '--img_size', '320', '--no-mp4', ...args], { env: { ...NO_DISPLAY, ...env } });
    return { ...r, out, xServers, eglWorkers };
  } finally {
    clearInterval(timer);
  }
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited
    }
  }
  return [...parent.keys()].filter((pid) => {
    for (let p = parent.get(pid); p !== undefined && p > 0; p = parent.get(p)) if (p === root) return true;
    return false;
  });
}

const rgb = async (path: string) => (await sharp(path).removeAlpha().raw().toBuffer());

/** The picture test's threshold: mean absolute difference < 1.5/255 and < 0.5 % of samples off by > 40. */
async function assertSimilar(a: string, b: string): Promise<void> {
  const [x, y] = await Promise.all([rgb(a), rgb(b)]);
  assert.equal(x.length, y.length, `${a} and ${b} differ in size`);
  let sum = 0, far = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    sum += d;
    if (d > 40) far++;
  }
  assert.ok(sum / x.length < 1.5 && far / x.length < 0.005, `${a} vs ${b}: mean ${(sum / x.length).toFixed(2)}, ${(100 * far / x.length).toFixed(2)} % far`);
}

const pngs = (dir: string) => readdirSync(dir).filter((f) => /^mesh_\d+\.png$/.test(f)).sort();

test('--gl egl with no DISPLAY: golden frame and sequence match the golden image and the GLX backend, no X server started', async () => {
  const egl = await watchedRun(['--gl', 'egl', '--device', 'cpu']);
  assert.equal(egl.code, 0, egl.stderr);
  assert.deepEqual([...egl.xServers], [], 'an X server ran under the EGL run');
  const report = readReport(egl.out);
  assert.equal(report.renderer.evidence.backend, 'egl');
  assert.match(report.renderer.gl_renderer, /llvmpipe/);
  assert.match(report.renderer.gl_version, /^OpenGL ES 3\./); // a GLX context says "4.5 (Compatibility Profile) Mesa …"
  assert.equal(report.renderer.evidence.egl_vendor, 'Mesa Project');
  assert.deepEqual(report.warnings, []);
  await assertSimilar(join(egl.out, 'mesh_0006.png'), GOLDEN);

  const glx = await watchedRun(['--gl', 'glx', '--device', 'cpu']);
  assert.equal(glx.code, 0, glx.stderr);
  assert.equal(readReport(glx.out).renderer.evidence.backend, 'glx');
  assert.ok(glx.xServers.size >= 1, 'the GLX run should have started its Xvfb (the watch would catch one)');
  assert.deepEqual(pngs(egl.out), pngs(glx.out));
  assert.equal(pngs(egl.out).length, 8);
  for (const f of pngs(egl.out)) await assertSimilar(join(egl.out, f), join(glx.out, f));
});

test('--concurrency 2 on EGL: each worker process opens its own EGL context', async () => {
  const r = await watchedRun(['--gl', 'egl', '--device', 'cpu', '--concurrency', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readReport(r.out).renderer.render_processes, 2);
  assert.equal(r.eglWorkers.size, 2, `render workers that mapped libEGL_mesa: ${[...r.eglWorkers].join(', ')}`);
  assert.deepEqual([...r.xServers], []);
  await assertSimilar(join(r.out, 'mesh_0006.png'), GOLDEN);
});

test('a broken EGL (vendor file missing): --gl auto falls back to GLX with the reason in the warnings; --gl egl fails in one line', async () => {
  const broken = { __EGL_VENDOR_LIBRARY_FILENAMES: '/nonexistent/egl_vendor.json' };
  const auto = await watchedRun(['--device', 'cpu'], broken);
  assert.equal(auto.code, 0, auto.stderr);
  const report = readReport(auto.out);
  assert.equal(report.renderer.evidence.backend, 'glx');
  assert.ok(report.warnings.some((w: string) => /EGL did not come up .*no vendor library.*headless-gl on GLX/.test(w)), JSON.stringify(report.warnings));
  await assertSimilar(join(auto.out, 'mesh_0006.png'), GOLDEN);

  const egl = await watchedRun(['--gl', 'egl', '--device', 'cpu'], broken);
  assert.equal(egl.code, 2);
  assert.deepEqual([...egl.xServers], [], '--gl egl must not start Xvfb');
  const last = egl.stderr.trim().split('\n').pop()!;
  assert.match(last, /^batch-render: EGL cpu: EGL has no vendor library/);
});

const nvidia = listEglDevices().filter(isNvidiaDevice);

test('--gl egl --device cuda without an NVIDIA EGL device: exit 2, one line naming what was looked for',
  { skip: nvidia.length > 0 ? 'this host has an NVIDIA EGL device' : false }, async () => {
    const r = await watchedRun(['--gl', 'egl', '--device', 'cuda']);
    assert.equal(r.code, 2);
    const last = r.stderr.trim().split('\n').pop()!;
    assert.match(last, /^batch-render: --device cuda: no NVIDIA EGL device \(EGL_NV_device_cuda, or NVIDIA in EGL_VENDOR \/ EGL_DRM_DEVICE_FILE_EXT\) among \d+ EGL devices/);
    assert.deepEqual([...r.xServers], []);
  });

/**
 * `--export glb` end to end, on demo sequences the real CLI renders:
 *  - render.glb passes the Khronos glTF validator with no errors;
 *  - it loads in three.js's GLTFLoader in Debian chromium, its clip lasts
 *    frames/fps seconds, and three.js's own skinning of frame k matches our
 *    exact mesh (forwardBody) within the measured bound;
 *  - an independent skin evaluation here (the GLB parsed by hand, node
 *    globals from the animation keys, v' = Σ w·G·IBM·v) matches forwardBody
 *    within that bound; its max / mean differences are the figures quoted
 *    in docs/glb-export.md (printed as diagnostics);
 *  - fallback frames hold their source frame's pose, skipped / placeholder
 *    frames scale the root to zero (STEP) and are listed in the extras;
 *  - the mesh's betas are the mean of the rendered frames' (from the files);
 *  - --flat_hand_mean reaches the hand rotations; interpolated frames carry
 *    the temporal stage's parameters (cam_trans lerp by the report's weight);
 *  - `--person all` gives one skinned mesh per person id (a numpy-written
 *    two-person sequence).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { repoRoot } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { launchBrowser, type TestBrowser } from '../web/browser.js';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import type { BodyModel } from '../../src/body-model/body-model.js';
import { readFrameFile } from '../../src/scan/read-frame.js';
import { buildGlbDocument, encodeGlb } from '../../src/glb/write-glb.js';
import { sequenceTracks } from '../../src/glb/glb-tracks.js';
import type { PersonParams } from '../../src/types.js';

/** The Khronos validator ships without types: the one call used here. */
const validator = createRequire(import.meta.url)('gltf-validator') as {
  validateBytes(data: Uint8Array, opts?: { maxIssues?: number }): Promise<{ issues: { numErrors: number; messages: unknown[] } }>;
};

const FPS = 25;
/**
 * Largest skinned-vs-exact vertex distance accepted (metres). Measured on
 * the demo sequence: max 7.6 mm, mean 1.9 mm (no pose correctives, no
 * expression, top-4 weights); see docs/glb-export.md. A wrong joint, axis or weight is cm off.
 */
const BOUND_M = 0.008;

interface Run { npzDir: string; outDir: string; report: any; glb: Buffer }
let work: string;
let fallback: Run;
let skip: Run;
let placeholder: Run;
let model: BodyModel;
let chrome: TestBrowser;

async function render(npzDir: string, name: string, args: string[]): Promise<Run> {
  const outDir = join(work, name);
  const r = await runCli(['--npz_dir', npzDir, '--output_dir', outDir, '--img_size', '64', '--no-png', '--no-mp4', '--fps', String(FPS), '--export', 'glb', ...args]);
  if (r.code !== 0) throw new Error(`batch-render exited ${r.code}: ${r.stderr}`);
  return { npzDir, outDir, report: JSON.parse(readFileSync(join(outDir, 'render_report.json'), 'utf8')), glb: readFileSync(join(outDir, 'render.glb')) };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'br-glb-'));
  const npzDir = join(work, 'D');
  execFileSync(process.execPath, [join(repoRoot, 'dist/scripts/make-demo-data.js'), '--out', npzDir, '--frames', '40'], { stdio: 'ignore' });
  fallback = await render(npzDir, 'fallback', ['--policy', 'fallback']);
  skip = await render(npzDir, 'skip', ['--policy', 'skip']);
  placeholder = await render(npzDir, 'placeholder', ['--policy', 'placeholder']);
  model = loadBodyModel(fallback.report.input.model_path);
});
after(async () => {
  await chrome?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

// ---- a GLB read by hand: chunks, accessors, node transforms -------------------------------

interface Gltf { json: any; bin: Buffer }

function parseGlb(b: Buffer): Gltf {
  assert.equal(b.readUInt32LE(0), 0x46546c67, 'GLB magic');
  assert.equal(b.readUInt32LE(4), 2, 'GLB version');
  const jsonLen = b.readUInt32LE(12);
  assert.equal(b.readUInt32LE(16), 0x4e4f534a, 'first chunk is JSON');
  const json = JSON.parse(b.subarray(20, 20 + jsonLen).toString('utf8'));
  const at = 20 + jsonLen;
  assert.equal(b.readUInt32LE(at + 4), 0x004e4942, 'second chunk is BIN');
  return { json, bin: b.subarray(at + 8, at + 8 + b.readUInt32LE(at)) };
}

const SIZE: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };
const BYTES: Record<number, number> = { 5121: 1, 5123: 2, 5125: 4, 5126: 4 };

function accessor(g: Gltf, i: number): number[] {
  const a = g.json.accessors[i];
  const view = g.json.bufferViews[a.bufferView];
  const n = SIZE[a.type];
  const eb = BYTES[a.componentType];
  const stride = view.byteStride ?? n * eb;
  const base = (view.byteOffset ?? 0) + (a.byteOffset ?? 0);
  const out: number[] = [];
  for (let e = 0; e < a.count; e++) {
    for (let c = 0; c < n; c++) {
      const o = base + e * stride + c * eb;
      out.push(a.componentType === 5126 ? g.bin.readFloatLE(o) : a.componentType === 5121 ? g.bin.readUInt8(o) : a.componentType === 5123 ? g.bin.readUInt16LE(o) : g.bin.readUInt32LE(o));
    }
  }
  return out;
}

type M4 = number[]; // row-major 4×4

const mul = (a: M4, b: M4): M4 => Array.from({ length: 16 }, (_, i) => {
  const r = Math.floor(i / 4), c = i % 4;
  return a[r * 4] * b[c] + a[r * 4 + 1] * b[4 + c] + a[r * 4 + 2] * b[8 + c] + a[r * 4 + 3] * b[12 + c];
});

function trs(t: number[], q: number[], s: number[]): M4 {
  const [x, y, z, w] = q;
  const R = [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
  return [R[0] * s[0], R[1] * s[1], R[2] * s[2], t[0], R[3] * s[0], R[4] * s[1], R[5] * s[2], t[1], R[6] * s[0], R[7] * s[1], R[8] * s[2], t[2], 0, 0, 0, 1];
}

/** Every node's world matrix with the animation at key k (keys are at k/fps exactly). */
function worldMatrices(g: Gltf, k: number, fps: number): M4[] {
  const nodes = g.json.nodes as any[];
  const local = nodes.map((n) => ({ t: n.translation ?? [0, 0, 0], r: n.rotation ?? [0, 0, 0, 1], s: n.scale ?? [1, 1, 1] }));
  const anim = g.json.animations[0];
  for (const ch of anim.channels) {
    const smp = anim.samplers[ch.sampler];
    const times = accessor(g, smp.input);
    assert.ok(Math.abs(times[k] - k / fps) < 1e-5, `key ${k} is at ${times[k]}, expected ${k / fps}`);
    const vals = accessor(g, smp.output);
    const n = ch.target.path === 'rotation' ? 4 : 3;
    const v = vals.slice(k * n, k * n + n);
    const key = ch.target.path === 'rotation' ? 'r' : ch.target.path === 'translation' ? 't' : 's';
    local[ch.target.node][key] = v;
  }
  const parent = new Array<number>(nodes.length).fill(-1);
  nodes.forEach((n, i) => (n.children ?? []).forEach((c: number) => { parent[c] = i; }));
  const world: Array<M4 | null> = nodes.map(() => null);
  const get = (i: number): M4 => {
    if (!world[i]) {
      const l = trs(local[i].t, local[i].r, local[i].s);
      world[i] = parent[i] < 0 ? l : mul(get(parent[i]), l);
    }
    return world[i]!;
  };
  return nodes.map((_, i) => get(i));
}

/** The skinned positions of mesh node `meshNode` at key k, glTF world coordinates. */
function skinnedAt(g: Gltf, meshNode: number, k: number, fps: number): Float64Array {
  const node = g.json.nodes[meshNode];
  const skin = g.json.skins[node.skin];
  const prim = g.json.meshes[node.mesh].primitives[0];
  const pos = accessor(g, prim.attributes.POSITION);
  const jts = accessor(g, prim.attributes.JOINTS_0);
  const wts = accessor(g, prim.attributes.WEIGHTS_0);
  const ibm = accessor(g, skin.inverseBindMatrices);
  const world = worldMatrices(g, k, fps);
  const jointMats = (skin.joints as number[]).map((n, i) => {
    const c = ibm.slice(i * 16, i * 16 + 16); // column-major
    const inv = Array.from({ length: 16 }, (_, e) => c[(e % 4) * 4 + Math.floor(e / 4)]);
    return mul(world[n], inv);
  });
  const V = pos.length / 3;
  const out = new Float64Array(V * 3);
  for (let v = 0; v < V; v++) {
    for (let s = 0; s < 4; s++) {
      const w = wts[v * 4 + s];
      if (w === 0) continue;
      const m = jointMats[jts[v * 4 + s]];
      for (let r = 0; r < 3; r++) out[v * 3 + r] += w * (m[r * 4] * pos[v * 3] + m[r * 4 + 1] * pos[v * 3 + 1] + m[r * 4 + 2] * pos[v * 3 + 2] + m[r * 4 + 3]);
    }
  }
  return out;
}

/** Per-vertex distances between glTF world positions and an OpenCV-space mesh (glTF = (x, −y, −z)). */
function distances(gltfWorld: ArrayLike<number>, opencv: ArrayLike<number>): { max: number; sum: number; n: number } {
  let max = 0, sum = 0;
  const n = opencv.length / 3;
  for (let v = 0; v < n; v++) {
    const d = Math.hypot(gltfWorld[v * 3] - opencv[v * 3], gltfWorld[v * 3 + 1] + opencv[v * 3 + 1], gltfWorld[v * 3 + 2] + opencv[v * 3 + 2]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, sum, n };
}

const paramsOf = (run: Run, frame: number): PersonParams[] => {
  const f = run.report.frames.find((e: any) => e.frame === frame);
  return readFrameFile(join(run.npzDir, f.file), 0).persons;
};
const meshNodes = (g: Gltf) => (g.json.nodes as any[]).flatMap((n, i) => (n.skin !== undefined ? [i] : []));
const exact = (p: PersonParams) => forwardBody(model, p, { flatHandMean: false }).vertices;

// ---- tests -----------------------------------------------------------------------------------

test('render.glb passes the Khronos glTF validator with no errors, and the report describes it', async () => {
  for (const run of [fallback, skip, placeholder]) {
    const result = await validator.validateBytes(new Uint8Array(run.glb), { maxIssues: 100 });
    assert.equal(result.issues.numErrors, 0, JSON.stringify(result.issues.messages.slice(0, 5)));
    assert.deepEqual(run.report.glb, {
      file: 'render.glb', frames: run.report.totals.frames, fps: FPS, joints: model.numJoints, persons: 1, size_bytes: run.glb.length,
    });
    const g = parseGlb(run.glb);
    const skin = g.json.skins[0];
    assert.equal(skin.joints.length, model.numJoints);
    // Root node turns OpenCV into glTF axes: 180° about x.
    const root = g.json.nodes[g.json.scenes[g.json.scene].nodes.find((i: number) => g.json.nodes[i].name === 'opencv_to_gltf')];
    assert.deepEqual(root.rotation, [1, 0, 0, 0]);
  }
});

test('the independent skin evaluation of each rendered frame matches forwardBody within the measured bound', (t) => {
  const g = parseGlb(fallback.glb);
  const [meshNode] = meshNodes(g);
  const frames = fallback.report.frames as any[];
  let max = 0, sum = 0, n = 0;
  // The same comparison against forwardBody without expression and with the mean betas: what is left is pose correctives + top-4.
  let maxShape = 0, sumShape = 0;
  // And against forwardBody without pose correctives: what is left is the top-4 truncation (and float32).
  let maxTop4 = 0, sumTop4 = 0;
  const noCorrectives: BodyModel = { ...model, poseDirs: new Float32Array(model.poseDirs.length), poseKernel: null };
  const betas = g.json.extras.persons[0].betas as number[];
  frames.forEach((f, k) => {
    if (f.status !== 'rendered') return;
    const p = paramsOf(fallback, f.frame)[0];
    const skinned = skinnedAt(g, meshNode, k, FPS);
    const d = distances(skinned, exact(p));
    max = Math.max(max, d.max); sum += d.sum; n += d.n;
    const ds = distances(skinned, exact({ ...p, betas: Float64Array.from(betas), expr: new Float64Array(0) }));
    maxShape = Math.max(maxShape, ds.max); sumShape += ds.sum;
    const dt = distances(skinned, forwardBody(noCorrectives, { ...p, betas: Float64Array.from(betas), expr: new Float64Array(0) }, { flatHandMean: false }).vertices);
    maxTop4 = Math.max(maxTop4, dt.max); sumTop4 += dt.sum;
  });
  t.diagnostic(`skinned glTF vs exact mesh: max ${(max * 1000).toFixed(3)} mm, mean ${(sum / n * 1000).toFixed(3)} mm over ${n} vertex-frames`);
  t.diagnostic(`same, exact mesh with the glTF's betas and no expression: max ${(maxShape * 1000).toFixed(3)} mm, mean ${(sumShape / n * 1000).toFixed(3)} mm`);
  t.diagnostic(`same, and no pose correctives in the exact mesh either (top-4 weights alone): max ${(maxTop4 * 1000).toFixed(3)} mm, mean ${(sumTop4 / n * 1000).toFixed(3)} mm`);
  assert.ok(n > 0);
  assert.ok(max < BOUND_M, `max vertex difference ${max} m exceeds ${BOUND_M} m`);
  assert.ok(max > 0, 'pose correctives are not in a skinned glTF, so some difference must remain');
});

test('fallback frames hold their source pose; skipped / placeholder frames scale the root to zero and are listed', () => {
  const g = parseGlb(fallback.glb);
  const [meshNode] = meshNodes(g);
  const frames = fallback.report.frames as any[];
  const held = frames.filter((f) => f.status === 'fallback');
  assert.ok(held.length > 0);
  assert.deepEqual(g.json.extras.held_frames, held.map((f) => ({ frame: f.frame, source_frame: f.source_frame })));
  const k = frames.indexOf(held[held.length - 1]);
  const ks = frames.findIndex((f) => f.frame === held[held.length - 1].source_frame);
  assert.deepEqual(skinnedAt(g, meshNode, k, FPS), skinnedAt(g, meshNode, ks, FPS));
  assert.deepEqual(g.json.extras.persons[0].hidden_frames, []);

  for (const [run, status] of [[skip, 'skipped'], [placeholder, 'placeholder']] as const) {
    const gs = parseGlb(run.glb);
    const sframes = run.report.frames as any[];
    const hidden = sframes.filter((f) => f.status === status).map((f) => f.frame);
    assert.ok(hidden.length > 0);
    assert.deepEqual(gs.json.extras.persons[0].hidden_frames, hidden);
    assert.deepEqual(gs.json.extras.held_frames, []);
    const anim = gs.json.animations[0];
    const scaleCh = anim.channels.find((c: any) => c.target.path === 'scale');
    assert.equal(anim.samplers[scaleCh.sampler].interpolation, 'STEP');
    const scales = accessor(gs, anim.samplers[scaleCh.sampler].output);
    sframes.forEach((f, i) => assert.equal(scales[i * 3], f.status === status ? 0 : 1, `${status}: frame ${f.frame}`));
    const [mn] = meshNodes(gs);
    const ki = sframes.findIndex((f) => f.status === status);
    const collapsed = skinnedAt(gs, mn, ki, FPS);
    for (let i = 3; i < collapsed.length; i++) assert.ok(Math.abs(collapsed[i] - collapsed[i % 3]) < 1e-6, 'a hidden frame collapses the body to a point');
  }
});

test('the mesh is shaped by the mean betas of the rendered frames, stated in the extras', () => {
  const g = parseGlb(fallback.glb);
  const own = (fallback.report.frames as any[]).filter((f) => f.status === 'rendered').map((f) => paramsOf(fallback, f.frame)[0].betas);
  const n = Math.max(...own.map((b) => b.length));
  const mean = Array.from({ length: n }, (_, i) => own.reduce((s, b) => s + (b[i] ?? 0), 0) / own.length);
  const got = g.json.extras.persons[0].betas as number[];
  assert.equal(got.length, n);
  got.forEach((b, i) => assert.ok(Math.abs(b - mean[i]) < 1e-12, `betas[${i}] ${b}, mean ${mean[i]}`));
});

test('--flat_hand_mean: hands without the model\'s mean pose, as forwardBody does with it', async () => {
  const run = await render(fallback.npzDir, 'flat', ['--policy', 'fallback', '--flat_hand_mean']);
  const g = parseGlb(run.glb);
  assert.equal(g.json.extras.flat_hand_mean, true);
  const frames = run.report.frames as any[];
  const k = frames.findIndex((f) => f.status === 'rendered');
  const p = paramsOf(run, frames[k].frame)[0];
  const skinned = skinnedAt(g, meshNodes(g)[0], k, FPS);
  assert.ok(distances(skinned, forwardBody(model, p, { flatHandMean: true }).vertices).max < BOUND_M);
  // The mean hand pose bends the fingers by far more than the bound: the flag really changes the pose.
  assert.ok(distances(skinned, exact(p)).max > BOUND_M);
});

test('--policy interpolate: interpolated frames carry the temporal stage\'s parameters (root translation = lerp of the files\' cam_trans)', async () => {
  const run = await render(fallback.npzDir, 'interp', ['--policy', 'interpolate']);
  const result = await validator.validateBytes(new Uint8Array(run.glb), { maxIssues: 100 });
  assert.equal(result.issues.numErrors, 0);
  const g = parseGlb(run.glb);
  assert.deepEqual(g.json.extras.persons[0].hidden_frames, []);
  const anim = g.json.animations[0];
  const ch = anim.channels.find((c: any) => c.target.path === 'translation');
  const trans = accessor(g, anim.samplers[ch.sampler].output);
  const frames = run.report.frames as any[];
  const interp = frames.filter((f) => f.status === 'interpolated');
  assert.ok(interp.length > 0, 'the demo sequence has short gaps to interpolate');
  const key = (frame: number) => frames.findIndex((f) => f.frame === frame);
  for (const f of interp) {
    const [a, b] = f.source_frames as [number, number];
    const ta = paramsOf(run, a)[0].camTrans, tb = paramsOf(run, b)[0].camTrans;
    const ka = key(a), kf = key(f.frame);
    for (let c = 0; c < 3; c++) {
      const want = f.weight * (tb[c] - ta[c]);
      assert.ok(Math.abs((trans[kf * 3 + c] - trans[ka * 3 + c]) - want) < 1e-5, `frame ${f.frame} axis ${c}`);
    }
  }
});

const THREE_ENTRY = `
import { AnimationMixer } from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { Vector3 } from 'three';
window.loadGlb = async (b64, frames, fps) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const gltf = await new GLTFLoader().parseAsync(bytes.buffer, '');
  const clip = gltf.animations[0];
  const mixer = new AnimationMixer(gltf.scene);
  mixer.clipAction(clip).play();
  const meshes = [];
  gltf.scene.traverse((o) => { if (o.isSkinnedMesh) meshes.push(o); });
  const poses = {};
  for (const k of frames) {
    mixer.setTime(k / fps);
    gltf.scene.updateMatrixWorld(true);
    const m = meshes[0];
    const out = [];
    const v = new Vector3();
    for (let i = 0; i < m.geometry.attributes.position.count; i++) {
      m.getVertexPosition(i, v);
      v.applyMatrix4(m.matrixWorld);
      out.push(v.x, v.y, v.z);
    }
    poses[k] = out;
  }
  return { duration: clip.duration, tracks: clip.tracks.length, meshes: meshes.length, bones: meshes[0].skeleton.bones.length, poses };
};
`;

test('render.glb loads in three.js GLTFLoader in chromium: duration frames/fps, its skinning matches the exact mesh', async () => {
  const bundle = await esbuild.build({ stdin: { contents: THREE_ENTRY, resolveDir: repoRoot, loader: 'js' }, bundle: true, write: false, format: 'iife', logLevel: 'silent' });
  chrome = await launchBrowser();
  const page = await chrome.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Nothing leaves the page: the GLB and three.js are handed in.
  await page.setRequestInterception(true);
  page.on('request', (r) => (r.url() === 'about:blank' ? r.continue() : r.abort()));
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const frames = fallback.report.frames as any[];
  const keys = [0, 5, 20, 33].filter((k) => frames[k].status === 'rendered');
  assert.ok(keys.length >= 2);
  const r = await page.evaluate((b64, ks, fps) => (window as any).loadGlb(b64, ks, fps), fallback.glb.toString('base64'), keys, FPS) as any;
  assert.deepEqual(errors, []);
  assert.ok(Math.abs(r.duration - frames.length / FPS) < 1e-5, `duration ${r.duration}, expected ${frames.length}/${FPS}`);
  assert.equal(r.meshes, 1);
  assert.equal(r.bones, model.numJoints);
  for (const k of keys) {
    const d = distances(r.poses[k], exact(paramsOf(fallback, frames[k].frame)[0]));
    assert.ok(d.max < BOUND_M, `frame ${frames[k].frame}: three.js skinning is ${d.max} m from the exact mesh`);
  }
});

test('--person all: one skinned mesh per person id (numpy-written two-person sequence)', async () => {
  const two = join(work, 'two');
  // Person 1 is person 0 moved 1 m to the right, present only from the 6th file on.
  execFileSync('python3', ['-c', `
import numpy as np, glob, os, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for i, f in enumerate(sorted(glob.glob(os.path.join(src, '*.npz')))[:12]):
    try:
        d = dict(np.load(f))
    except Exception:
        continue
    if 'person_0_cam_trans' not in d or 'person_0_smplx_shape' not in d:
        continue
    if i >= 5:
        for k in [k for k in d if k.startswith('person_0_')]:
            d['person_1_' + k[len('person_0_'):]] = d[k].copy()
        d['person_1_cam_trans'] = d['person_0_cam_trans'] + np.array([[1.0, 0, 0]], dtype=d['person_0_cam_trans'].dtype)
        d['person_ids'] = np.array([0, 1])
    np.savez(os.path.join(dst, os.path.basename(f)), **d)
`, fallback.npzDir, two]);
  const run = await render(two, 'two-out', ['--person', 'all', '--policy', 'fallback', '--max_gap_frames', '1000']);
  const result = await validator.validateBytes(new Uint8Array(run.glb), { maxIssues: 100 });
  assert.equal(result.issues.numErrors, 0, JSON.stringify(result.issues.messages.slice(0, 5)));
  assert.equal(run.report.glb.persons, 2);
  const g = parseGlb(run.glb);
  const mesh = meshNodes(g);
  assert.equal(mesh.length, 2);
  assert.deepEqual(g.json.extras.persons.map((p: any) => p.person_id), [0, 1]);
  const frames = run.report.frames as any[];
  const k = frames.findIndex((f, i) => i >= 5 && f.status === 'rendered');
  const persons = readFrameFile(join(two, frames[k].file), 'all').persons;
  assert.equal(persons.length, 2);
  persons.forEach((p, i) => {
    const d = distances(skinnedAt(g, mesh[i], k, FPS), exact(p));
    assert.ok(d.max < BOUND_M, `person ${p.personId}: ${d.max} m from the exact mesh`);
  });
  // Person 1 is absent in the first files: hidden there.
  assert.ok(g.json.extras.persons[1].hidden_frames.includes(frames[0].frame));
});

test('diagnostic: GLB size for an 1800-frame sequence of the demo body', async (t) => {
  const frames = Array.from({ length: 1800 }, (_, i) => ({ frame: i + 1, status: 'rendered' as const, source_frame: null }));
  const own = (fallback.report.frames as any[]).filter((f) => f.status === 'rendered');
  const seq = sequenceTracks(frames, (f) => paramsOf(fallback, own[(f - 1) % own.length].frame));
  const bytes = await encodeGlb(buildGlbDocument(model, seq, { fps: 30, flatHandMean: false, colors: [[0.5, 0.7, 0.9]] }));
  t.diagnostic(`1800 frames, ${model.numJoints} joints, ${model.numVertices} vertices: ${bytes.length} bytes (${(bytes.length / 1e6).toFixed(2)} MB)`);
  assert.ok(bytes.length > 1800 * model.numJoints * 16, 'every frame carries a rotation per joint');
});

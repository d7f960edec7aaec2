/**
 * Real rendering under a private Xvfb (started here, stopped at the end).
 * One renderer per process: headless-gl loads once per process.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRenderError } from '../../src/errors.js';
import type { Renderer } from '../../src/render/gl-renderer.js';
import { createRenderer } from '../../src/render/create-renderer.js';
import { computeVertexNormals } from '../../src/render/vertex-normals.js';
import { planDevice } from '../../src/render/device/select-device.js';
import { resolveGlxDevice } from '../../src/render/device/resolve-device.js';
import { probeGlInChild, probeHost } from '../../src/render/device/probe-host.js';
import { ensureDisplay, type DisplayHandle } from '../../src/render/glx/start-xvfb.js';
import { frameSpheres as frameSequence, project as projectPoint } from '../helpers/cameras.js';
import type { CameraIntrinsics, RGB } from '../../src/types.js';
import { icosphere, placed } from './mesh-fixtures.js';

const W = 160;
const H = 120;
const CAM: CameraIntrinsics = { fx: 150, fy: 140, cx: 70.3, cy: 50.8, width: W, height: H };
const SPHERE = icosphere(3);

let display: DisplayHandle | undefined;
let savedDisplay: string | undefined;
let renderer: Renderer | undefined;
let setupError: unknown;

before(async () => {
  // Always a private display, so the test exercises ensureDisplay and leaves nothing behind.
  savedDisplay = process.env.DISPLAY;
  delete process.env.DISPLAY;
  try {
    display = await ensureDisplay();
    renderer = await createRenderer({ width: W, height: H, plan: planDevice('cpu', probeHost()) });
  } catch (err) {
    setupError = err;
  }
});

after(async () => {
  renderer?.dispose();
  await display?.stop();
  if (savedDisplay !== undefined) process.env.DISPLAY = savedDisplay;
  if (display?.pid !== undefined) {
    await new Promise((r) => setTimeout(r, 100));
    assert.throws(() => process.kill(display!.pid!, 0), 'Xvfb still running');
  }
});

function r(): Renderer {
  if (setupError) throw setupError;
  return renderer!;
}

const px = (img: Uint8Array, u: number, v: number) => Array.from(img.subarray((v * W + u) * 4, (v * W + u) * 4 + 4));
const near = (a: number[], rgb: RGB, tol = 40) => rgb.every((c, i) => Math.abs(a[i] - c * 255) <= tol);

/** Two triangles forming a square of half-size `h` pixels around the projection of (X, Y, Z). */
function pixelSquare(u: number, v: number, z: number, h: number): { vertices: Float32Array; faces: Uint32Array } {
  const back = (uu: number, vv: number) => [((uu - CAM.cx) * z) / CAM.fx, ((vv - CAM.cy) * z) / CAM.fy, z];
  const vertices = new Float32Array([...back(u - h, v - h), ...back(u + h, v - h), ...back(u + h, v + h), ...back(u - h, v + h)]);
  return { vertices, faces: new Uint32Array([0, 1, 2, 0, 2, 3]) };
}

test('info says cpu / llvmpipe, from the loaded libraries', () => {
  const { info, evidence } = r();
  assert.equal(info.device, 'cpu');
  assert.ok(['llvmpipe', 'softpipe'].includes((evidence.driver as { driver: string }).driver), JSON.stringify(evidence));
  assert.match(info.glRenderer, /llvmpipe|softpipe/);
});

test('a point lands on the pixel the pinhole formula gives (OpenCV pixel centres)', () => {
  for (const [u0, v0] of [[100, 40], [12, 105], [70, 51], [150, 8]]) {
    const { vertices, faces } = pixelSquare(u0, v0, 2.5, 3.2); // covers pixel centres u0-3 … u0+3
    const img = r().draw([{ vertices, color: [1, 0, 0] }], faces, CAM, { background: [0, 0, 0] });
    let n = 0, su = 0, sv = 0;
    for (let v = 0; v < H; v++) for (let u = 0; u < W; u++) if (img[(v * W + u) * 4] > 128) { n++; su += u; sv += v; }
    assert.equal(n, 49, `expected 7×7 pixels at (${u0}, ${v0}), got ${n}`);
    assert.equal(su / n, u0);
    assert.equal(sv / n, v0);
    // And the 3D centre projects there by the formula.
    const c = [(vertices[0] + vertices[6]) / 2, (vertices[1] + vertices[7]) / 2, 2.5];
    const [u, v] = projectPoint(CAM, c[0], c[1], c[2]);
    assert.ok(Math.abs(u - u0) < 1e-4 && Math.abs(v - v0) < 1e-4);
  }
});

test('a body-like mesh in y-up model space, turned half about x (OSX root), is upright and lit', () => {
  // Snowman in model space: body at the origin, head above (+y, model up).
  const body = placed(SPHERE.vertices, 0.4, 0, 0, 0);
  const head = placed(SPHERE.vertices, 0.2, 0, 0.55, 0);
  // Half-turn about x (y → -y, z → -z) into OpenCV camera space, then 3 m ahead.
  const toCam = (m: Float32Array) => {
    const out = new Float32Array(m.length);
    for (let i = 0; i < m.length; i += 3) { out[i] = m[i]; out[i + 1] = -m[i + 1]; out[i + 2] = -m[i + 2] + 3; }
    return out;
  };
  const cam = frameSequence([[0, -0.2, 3]], 0.8, W); // square camera
  const sq = { ...cam, width: W, height: H, cy: cam.cy - (W - H) / 2 };
  const BODY: RGB = [0.2, 0.4, 0.9];
  const HEAD: RGB = [0.9, 0.3, 0.2];
  const img = r().draw([{ vertices: toCam(body), color: BODY }, { vertices: toCam(head), color: HEAD }], SPHERE.faces, sq);

  const rowsOf = (isColour: (p: number[]) => boolean) => {
    const rows: number[] = [];
    for (let v = 0; v < H; v++) for (let u = 0; u < W; u++) if (isColour(px(img, u, v))) rows.push(v);
    return rows;
  };
  const redish = (p: number[]) => p[0] > p[2] + 40;
  const blueish = (p: number[]) => p[2] > p[0] + 40;
  const headRows = rowsOf(redish), bodyRows = rowsOf(blueish);
  assert.ok(headRows.length > 50 && bodyRows.length > 200);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(mean(headRows) < mean(bodyRows), 'head (model +y) should be above the body on screen');

  // The head centre projects where the formula says.
  const [hu, hv] = projectPoint(sq, 0, -0.55, 3);
  assert.ok(redish(px(img, Math.round(hu), Math.round(hv))));

  // Lit, not flat: body pixels vary, and the key light (upper left) makes upper-left brighter than lower-right.
  const [bu, bv] = projectPoint(sq, 0, 0, 2.6).map(Math.round);
  const rad = Math.round((0.4 * sq.fx) / 3 * 0.6);
  const lum = (p: number[]) => p[0] + p[1] + p[2];
  const ul = lum(px(img, bu - rad, bv - rad / 2));
  const lr = lum(px(img, bu + rad, bv + rad));
  assert.ok(ul > lr + 30, `expected shading, got ${ul} vs ${lr}`);
  const values = new Set<number>();
  for (let v = 0; v < H; v++) for (let u = 0; u < W; u++) { const p = px(img, u, v); if (blueish(p)) values.add(p[2]); }
  assert.ok(values.size > 30, `only ${values.size} distinct blue levels`);

  // Background is the default light grey, opaque.
  assert.deepEqual(px(img, 0, 0), [245, 245, 245, 255]);
});

test('transparent mode: alpha 0 in the background, 255 on the mesh', () => {
  const v = placed(SPHERE.vertices, 0.5, 0, 0, 3);
  const img = r().draw([{ vertices: v, color: [0.7, 0.7, 0.7] }], SPHERE.faces, CAM, { transparent: true });
  assert.equal(px(img, 0, 0)[3], 0);
  assert.equal(px(img, W - 1, H - 1)[3], 0);
  const [u, vv] = projectPoint(CAM, 0, 0, 3).map(Math.round);
  assert.equal(px(img, u, vv)[3], 255);
});

test('overlapping meshes are depth-correct whatever the draw order', () => {
  const A: RGB = [1, 0, 0];
  const B: RGB = [0, 0, 1];
  const far = placed(SPHERE.vertices, 0.5, 0, 0, 3);
  const nearer = placed(SPHERE.vertices, 0.3, 0.25, 0, 2.4);
  const [u, v] = projectPoint(CAM, 0.25, 0, 2.4).map(Math.round);
  const [uf, vf] = projectPoint(CAM, -0.3, 0, 3).map(Math.round); // only the far one there
  for (const order of [[far, nearer], [nearer, far]]) {
    const img = r().draw(order.map((vertices) => ({ vertices, color: vertices === far ? A : B })), SPHERE.faces, CAM);
    const p = px(img, u, v);
    assert.ok(p[2] > p[0] + 60, `nearer (blue) should win at the overlap, got ${p}`);
    const q = px(img, uf, vf);
    assert.ok(q[0] > q[2] + 60, `far (red) visible beside it, got ${q}`);
  }
  // Spheres that interpenetrate: each wins where it is in front.
  const a = placed(SPHERE.vertices, 0.4, -0.1, 0, 3);
  const b = placed(SPHERE.vertices, 0.4, 0.1, 0, 3);
  const img = r().draw([{ vertices: a, color: A }, { vertices: b, color: B }], SPHERE.faces, CAM);
  const left = px(img, Math.round(projectPoint(CAM, -0.3, 0, 3)[0]), Math.round(CAM.cy));
  const right = px(img, Math.round(projectPoint(CAM, 0.3, 0, 3)[0]), Math.round(CAM.cy));
  assert.ok(left[0] > left[2] && right[2] > right[0]);
  assert.ok(near(px(img, 0, 0), [0.96, 0.96, 0.96], 1));
});

test('returned buffer is reused and top-down; faces re-upload when a new array comes', () => {
  const a = r().draw([], SPHERE.faces, CAM, { background: [1, 0, 0] });
  const b = r().draw([], SPHERE.faces, CAM, { background: [0, 1, 0] });
  assert.equal(a, b);
  assert.equal(a.length, W * H * 4);
  const tri = pixelSquare(20, 10, 2, 3.2); // near the top: top-down rows put it in row 10
  const img = r().draw([{ vertices: tri.vertices, color: [0, 0, 0] }], tri.faces, CAM, { background: [1, 1, 1] });
  assert.equal(px(img, 20, 10)[0] < 30, true);
  assert.equal(px(img, 20, H - 1 - 10)[0] > 200, true);
  // Back to the sphere's faces: a different array, uploaded again.
  const s = r().draw([{ vertices: placed(SPHERE.vertices, 0.5, 0, 0, 3), color: [0, 0, 0] }], SPHERE.faces, CAM);
  assert.ok(px(s, Math.round(CAM.cx), Math.round(CAM.cy))[0] < 100);
});

test('bad input is refused', () => {
  const v = placed(SPHERE.vertices, 0.5, 0, 0, 3);
  assert.throws(() => r().draw([{ vertices: v.subarray(0, 30), color: [0, 0, 0] }], SPHERE.faces, CAM), RangeError);
  assert.throws(() => r().draw([{ vertices: v, color: [0, 0, 0] }], SPHERE.faces, { ...CAM, width: 100 }), RangeError);
});

test('the child-process GL probe reports the driver it loaded', async () => {
  r();
  const probe = await probeGlInChild({ ...process.env, ...planDevice('cpu', probeHost()).env });
  assert.equal(probe.ok, true, probe.error);
  assert.equal(probe.evidence?.driver, 'llvmpipe');
  const noDisplay = await probeGlInChild({ ...process.env, DISPLAY: ':9999' });
  assert.equal(noDisplay.ok, false);
  assert.ok(noDisplay.error && !noDisplay.error.includes('\n'));
});

test('cuda without an NVIDIA GPU is DEVICE_UNAVAILABLE', { skip: probeHost().nvidiaDevices.length > 0 && 'host has an NVIDIA device' }, async () => {
  r();
  await assert.rejects(resolveGlxDevice('cuda', display!.display), (err: unknown) =>
    err instanceof BatchRenderError && err.code === 'DEVICE_UNAVAILABLE' && !err.message.includes('\n'));
});

test('normals of a unit sphere are its positions; draw + readback timing at 720×720 is reported (diagnostic only)', async (t) => {
  const big = icosphere(5); // 20480 faces
  const out = new Float32Array(big.vertices.length);
  const normalTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    computeVertexNormals(big.vertices, big.faces, out);
    normalTimes.push(performance.now() - t0);
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
  t.diagnostic(`normals, ${big.faces.length / 3} faces: median ${median(normalTimes).toFixed(2)} ms`);
  // Unit sphere: the smooth normal is the position itself.
  for (let i = 0; i < out.length; i += 300) assert.ok(Math.abs(out[i] - big.vertices[i]) < 1e-2);

  // A second context in the same process (allowed; only the module loads once).
  r();
  const hd = await createRenderer({ width: 720, height: 720, plan: planDevice('cpu', probeHost()) });
  try {
    const cam = frameSequence([[0, 0, 3]], 0.5, 720);
    const meshes = [{ vertices: placed(big.vertices, 0.5, 0, 0, 3), color: [0.8, 0.6, 0.4] as RGB }];
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      hd.draw(meshes, big.faces, cam);
      times.push(performance.now() - t0);
    }
    t.diagnostic(`draw+readback 720×720, ${big.faces.length / 3} faces, 50 frames: median ${median(times).toFixed(2)} ms (last: ${JSON.stringify(hd.lastTimes)}) on ${hd.info.glRenderer}`);
  } finally {
    hd.dispose();
  }
});

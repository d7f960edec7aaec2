/**
 * The EGL addon on this machine: Mesa llvmpipe through EGL, with no X
 * display at all. Pixels are checked against an independent point-in-triangle
 * test on a hand-chosen triangle, not against another render: once with a
 * flat shader (exact colours, GL's bottom-up rows), once through GlRenderer
 * itself (the renderer's shaders, projection and top-down readback).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { projectionFromIntrinsics } from '../../src/camera/projection.js';
import { createRenderer } from '../../src/render/create-renderer.js';
import { createEglContext, type EglGl } from '../../src/render/egl/create-egl-context.js';
import { listEglDevices } from '../../src/render/egl/list-egl-devices.js';
import { loadEglAddon } from '../../src/render/egl/load-egl-addon.js';
import { isNvidiaDevice } from '../../src/render/egl/pick-egl-device.js';
import { BatchRenderError } from '../../src/errors.js';
import type { CameraIntrinsics } from '../../src/types.js';
import { xServerProcesses } from './egl-no-x.js';

// The precondition of every test here: no X display to fall back on.
delete process.env.DISPLAY;

const W = 64;
const H = 48;
const CAM: CameraIntrinsics = { fx: 70, fy: 66, cx: 31.3, cy: 22.6, width: W, height: H };

// Flat colour: these tests check the context, framebuffer and readback; the
// renderer's own shaders are exercised through GlRenderer on this backend.
const VS = `
attribute vec3 aPos;
uniform mat4 uProj;
void main() { gl_Position = uProj * vec4(aPos, 1.0); }`;
const FS = `
precision mediump float;
uniform vec3 uColor;
void main() { gl_FragColor = vec4(uColor, 1.0); }`;

function assertNoX(): void {
  assert.equal(process.env.DISPLAY, undefined, 'DISPLAY must stay unset');
  const mine = xServerProcesses().filter((p) => p.ours);
  assert.deepEqual(mine, [], 'an X server was started by this process');
}

function program(gl: EglGl): { p: WebGLProgram; aPos: number; uProj: WebGLUniformLocation; uColor: WebGLUniformLocation } {
  const shader = (type: number, src: string) => {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, src);
    gl.compileShader(s);
    assert.equal(gl.getShaderParameter(s, gl.COMPILE_STATUS), true, gl.getShaderInfoLog(s) ?? '');
    return s;
  };
  const p = gl.createProgram()!;
  const vs = shader(gl.VERTEX_SHADER, VS), fs = shader(gl.FRAGMENT_SHADER, FS);
  gl.attachShader(p, vs);
  gl.attachShader(p, fs);
  gl.linkProgram(p);
  gl.deleteShader(vs);
  gl.deleteShader(fs);
  assert.equal(gl.getProgramParameter(p, gl.LINK_STATUS), true, gl.getProgramInfoLog(p) ?? '');
  return { p, aPos: gl.getAttribLocation(p, 'aPos'), uProj: gl.getUniformLocation(p, 'uProj')!, uColor: gl.getUniformLocation(p, 'uColor')! };
}

/** Camera-space point (OpenCV) whose projection is pixel centre (u, v) at depth z. */
const back = (u: number, v: number, z: number) => [((u - CAM.cx) * z) / CAM.fx, ((v - CAM.cy) * z) / CAM.fy, z];

/** Draws triangles (pixel-space corners, one depth each) and returns RGBA rows as GL gives them (bottom-up). */
function drawTriangles(gl: EglGl, tris: { uv: number[][]; z: number[]; color: [number, number, number] }[]): Uint8Array {
  const { p, aPos, uProj, uColor } = program(gl);
  gl.useProgram(p);
  gl.viewport(0, 0, W, H);
  gl.enable(gl.DEPTH_TEST);
  gl.depthFunc(gl.LESS);
  gl.disable(gl.CULL_FACE);
  gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
  gl.uniformMatrix4fv(uProj, false, projectionFromIntrinsics(CAM, 1, 10));
  const vbuf = gl.createBuffer()!, ibuf = gl.createBuffer()!;
  gl.bindBuffer(gl.ARRAY_BUFFER, vbuf);
  gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, ibuf);
  gl.bufferData(gl.ARRAY_BUFFER, 9 * 4, gl.DYNAMIC_DRAW); // size first, then sub-data, as the renderer does
  gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, new Uint32Array([0, 1, 2]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(aPos);
  gl.clearColor(0, 0, 0, 1);
  gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
  for (const t of tris) {
    gl.bufferSubData(gl.ARRAY_BUFFER, 0, new Float32Array(t.uv.flatMap(([u, v], i) => back(u, v, t.z[i]))));
    gl.vertexAttribPointer(aPos, 3, gl.FLOAT, false, 0, 0);
    gl.uniform3f(uColor, ...t.color);
    gl.drawElements(gl.TRIANGLES, 3, gl.UNSIGNED_INT, 0);
  }
  gl.flush();
  const out = new Uint8Array(W * H * 4);
  gl.readPixels(0, 0, W, H, gl.RGBA, gl.UNSIGNED_BYTE, out);
  assert.equal(gl.getError(), gl.NO_ERROR);
  gl.deleteBuffer(vbuf);
  gl.deleteBuffer(ibuf);
  gl.deleteProgram(p);
  return out;
}

/** Signed-area test: is (x, y) strictly inside triangle abc, and how far (pixels) from its nearest edge. */
function inside(tri: number[][], x: number, y: number): { in: boolean; edge: number } {
  let pos = 0, neg = 0, edge = Infinity;
  for (let i = 0; i < 3; i++) {
    const [ax, ay] = tri[i], [bx, by] = tri[(i + 1) % 3];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    edge = Math.min(edge, Math.abs(cross) / Math.hypot(bx - ax, by - ay));
    if (cross > 0) pos++;
    else if (cross < 0) neg++;
  }
  return { in: pos === 3 || neg === 3, edge };
}

/** RGBA of pixel (u, v), v counted from the top, in GL's bottom-up rows. */
const at = (img: Uint8Array, u: number, v: number) => Array.from(img.subarray(((H - 1 - v) * W + u) * 4, ((H - 1 - v) * W + u) * 4 + 4));

test('cpu: a triangle covers exactly the pixel centres inside it, with no X server', () => {
  const { gl, info } = createEglContext({ width: W, height: H, device: 'cpu' });
  try {
    // Corners in pixels (OpenCV: integer = pixel centre, v down), at different depths.
    const tri = [[5.37, 4.21], [57.83, 12.64], [20.12, 43.77]];
    const img = drawTriangles(gl, [{ uv: tri, z: [2, 3.5, 5], color: [1, 0, 0] }]);
    let covered = 0;
    for (let v = 0; v < H; v++) {
      for (let u = 0; u < W; u++) {
        const want = inside(tri, u, v);
        assert.ok(want.edge > 1e-3, `pixel centre (${u}, ${v}) lies on an edge: pick other corners`);
        assert.deepEqual(at(img, u, v), want.in ? [255, 0, 0, 255] : [0, 0, 0, 255], `pixel (${u}, ${v})`);
        if (want.in) covered++;
      }
    }
    assert.ok(covered > 500, `only ${covered} pixels inside: the check would be weak`);
    assert.match(info.glRenderer, /llvmpipe/);
    assertNoX();
  } finally {
    gl.destroy();
  }
});

test('GlRenderer on EGL (its own shaders and projection): the triangle covers exactly the pixel centres inside it', async () => {
  const renderer = await createRenderer({ width: W, height: H, plan: { device: 'cpu', env: {}, reason: 'test', gl: 'egl' } });
  try {
    const tri = [[3.61, 40.22], [60.48, 30.71], [28.33, 2.57]];
    const z = [2.2, 3.1, 4.4];
    const vertices = new Float32Array(tri.flatMap(([u, v], i) => back(u, v, z[i])));
    const img = renderer.draw([{ vertices, color: [1, 1, 1] }], new Uint32Array([0, 1, 2]), CAM, { background: [0, 0, 0] });
    let covered = 0;
    for (let v = 0; v < H; v++) {
      for (let u = 0; u < W; u++) {
        const want = inside(tri, u, v);
        assert.ok(want.edge > 1e-3, `pixel centre (${u}, ${v}) lies on an edge: pick other corners`);
        const p = Array.from(img.subarray((v * W + u) * 4, (v * W + u) * 4 + 4)); // top-down rows
        if (want.in) assert.ok(p[3] === 255 && p[0] > 40 && p[0] === p[1] && p[1] === p[2], `pixel (${u}, ${v}) should be lit grey, got ${p}`);
        else assert.deepEqual(p, [0, 0, 0, 255], `pixel (${u}, ${v}) should be background`);
        if (want.in) covered++;
      }
    }
    assert.ok(covered > 500, `only ${covered} pixels inside`);
    assert.equal(renderer.evidence.backend, 'egl');
    assert.match(renderer.info.glRenderer, /llvmpipe/);
    assertNoX();
  } finally {
    renderer.dispose();
  }
});

test('cpu: the depth buffer keeps the nearer triangle whatever the draw order', () => {
  const { gl } = createEglContext({ width: W, height: H, device: 'cpu' });
  try {
    const big = [[2, 2], [62, 2], [32, 46]];
    for (const nearFirst of [true, false]) {
      const nearTri = { uv: big, z: [2, 2, 2], color: [0, 1, 0] as [number, number, number] };
      const farTri = { uv: big, z: [4, 4, 4], color: [0, 0, 1] as [number, number, number] };
      const img = drawTriangles(gl, nearFirst ? [nearTri, farTri] : [farTri, nearTri]);
      assert.deepEqual(at(img, 32, 20), [0, 255, 0, 255], `near first: ${nearFirst}`);
    }
  } finally {
    gl.destroy();
  }
});

test('cpu: GL and EGL strings come from the context (llvmpipe through Mesa\'s software EGL device)', () => {
  const { gl, info } = createEglContext({ width: W, height: H, device: 'cpu' });
  try {
    assert.match(info.glRenderer, /^llvmpipe/);
    assert.match(info.glVersion, /^OpenGL ES 3\.\d/);
    assert.equal(info.glRenderer, gl.getParameter(gl.RENDERER));
    assert.equal(info.glVendor, gl.getParameter(gl.VENDOR));
    assert.equal(info.eglVendor, 'Mesa Project');
    const sw = listEglDevices().find((d) => d.extensions.includes('EGL_MESA_device_software'));
    assert.ok(sw, 'this machine offers Mesa\'s software EGL device');
    assert.equal(info.deviceExtension, 'EGL_MESA_device_software');
    assert.equal(info.deviceIndex, sw.index);
    assert.ok(gl.getExtension('OES_element_index_uint'));
    assert.equal(gl.getExtension('WEBGL_draw_buffers'), null);
    assertNoX();
  } finally {
    gl.destroy();
  }
});

test('the GL enums carry the WebGL 1.0 values (from the spec\'s IDL)', () => {
  const c = loadEglAddon().glConstants;
  const spec = { TRIANGLES: 0x0004, FLOAT: 0x1406, UNSIGNED_INT: 0x1405, ARRAY_BUFFER: 0x8892, ELEMENT_ARRAY_BUFFER: 0x8893,
    VERTEX_SHADER: 0x8b31, FRAGMENT_SHADER: 0x8b30, COMPILE_STATUS: 0x8b81, LINK_STATUS: 0x8b82, DEPTH_TEST: 0x0b71,
    COLOR_BUFFER_BIT: 0x4000, DEPTH_BUFFER_BIT: 0x0100, PACK_ALIGNMENT: 0x0d05, RGBA: 0x1908, RENDERER: 0x1f01 };
  for (const [k, v] of Object.entries(spec)) assert.equal(c[k as keyof typeof c], v, k);
});

test('Mesa\'s surfaceless platform draws too (the cpu route without a device platform)', () => {
  const addon = loadEglAddon();
  const ctx = new addon.EglContext(8, 4, -1);
  try {
    const k = addon.glConstants;
    ctx.clearColor(0, 1, 0, 1);
    ctx.clear(k.COLOR_BUFFER_BIT);
    const px = new Uint8Array(8 * 4 * 4);
    ctx.readPixels(0, 0, 8, 4, k.RGBA, k.UNSIGNED_BYTE, px);
    assert.deepEqual([...px.subarray(0, 4)], [0, 255, 0, 255]);
    assert.match(String(ctx.getParameter(k.RENDERER)), /llvmpipe/);
  } finally {
    ctx.destroy();
  }
});

test('two contexts in one thread each keep their own framebuffer', () => {
  const a = createEglContext({ width: 4, height: 4, device: 'cpu' }).gl;
  const b = createEglContext({ width: 4, height: 4, device: 'cpu' }).gl;
  try {
    a.clearColor(1, 0, 0, 1);
    b.clearColor(0, 0, 1, 1);
    a.clear(a.COLOR_BUFFER_BIT);
    b.clear(b.COLOR_BUFFER_BIT);
    const pa = new Uint8Array(64), pb = new Uint8Array(64);
    a.readPixels(0, 0, 4, 4, a.RGBA, a.UNSIGNED_BYTE, pa);
    b.readPixels(0, 0, 4, 4, b.RGBA, b.UNSIGNED_BYTE, pb);
    assert.deepEqual([...pa.subarray(0, 4)], [255, 0, 0, 255]);
    assert.deepEqual([...pb.subarray(0, 4)], [0, 0, 255, 255]);
  } finally {
    a.destroy();
    b.destroy();
  }
  assert.throws(() => a.clear(a.COLOR_BUFFER_BIT), /after destroy/);
});

const nvidia = listEglDevices().filter(isNvidiaDevice);

test('cuda without an NVIDIA EGL device: DEVICE_UNAVAILABLE, one line naming what was looked for',
  { skip: nvidia.length > 0 ? `this host has an NVIDIA EGL device (#${nvidia[0].index})` : false }, () => {
    assert.throws(() => createEglContext({ width: W, height: H, device: 'cuda' }), (err: unknown) => {
      assert.ok(err instanceof BatchRenderError);
      assert.equal(err.code, 'DEVICE_UNAVAILABLE');
      assert.equal(err.exitCode, 2);
      assert.doesNotMatch(err.message, /\n/);
      assert.match(err.message, /NVIDIA EGL device/);
      assert.match(err.message, /EGL_NV_device_cuda/);
      return true;
    });
  });

test('cuda: draws on the NVIDIA GPU through EGL',
  { skip: nvidia.length === 0 ? `no NVIDIA EGL device here (${listEglDevices().length} EGL device(s), none NVIDIA)` : false }, () => {
    const { gl, info } = createEglContext({ width: W, height: H, device: 'cuda' });
    try {
      assert.match(`${info.glVendor} ${info.glRenderer}`, /NVIDIA/i);
      const tri = [[5.37, 4.21], [57.83, 12.64], [20.12, 43.77]];
      const img = drawTriangles(gl, [{ uv: tri, z: [2, 3.5, 5], color: [1, 0, 0] }]);
      for (let v = 0; v < H; v++) for (let u = 0; u < W; u++) assert.equal(at(img, u, v)[0], inside(tri, u, v).in ? 255 : 0, `(${u}, ${v})`);
      assertNoX();
    } finally {
      gl.destroy();
    }
  });

test('a broken EGL (vendor file missing) gives one clear line, in a child process', () => {
  const code = `
    const { createEglContext } = await import(${JSON.stringify(new URL('../../src/render/egl/create-egl-context.js', import.meta.url).href)});
    try { createEglContext({ width: 8, height: 8, device: 'cpu' }); console.log(JSON.stringify({ ok: true })); }
    catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const env: NodeJS.ProcessEnv = { ...process.env, __EGL_VENDOR_LIBRARY_FILENAMES: '/nonexistent/egl_vendor.json' };
  delete env.DISPLAY;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ok?: boolean; code?: string; message?: string };
  assert.equal(r.ok, undefined, 'EGL came up without a vendor library');
  assert.equal(r.code, 'CONFIG');
  assert.doesNotMatch(r.message!, /\n/);
  assert.match(r.message!, /no vendor library/);
  assert.match(r.message!, /__EGL_VENDOR_LIBRARY_FILENAMES/);
});

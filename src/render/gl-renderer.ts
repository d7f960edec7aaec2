/**
 * A small WebGL 1 mesh renderer on headless-gl: smooth normals, depth test,
 * key + fill light with ambient and a little specular, exact pinhole
 * projection from OpenCV intrinsics. One per process (see load-gl.ts).
 */
import { BatchRenderError, configError } from '../errors.js';
import type { CameraIntrinsics, DeviceRequest, MeshDraw, RendererInfo, RGB } from '../types.js';
import { destroyContext, isGlLoaded, loadGl } from './load-gl.js';
import {
  assertDevice,
  describeFromMaps,
  deviceUnavailable,
  planDevice,
  probeGlInChild,
  probeHost,
  readOwnMaps,
  runGlxinfo,
  type Device,
  type DevicePlan,
  type DriverEvidence,
} from './device/select-device.js';

export interface DrawOptions {
  /** Clear colour, 0..1; default light grey. Ignored when `transparent`. */
  background?: RGB;
  /** Clear to alpha 0 so alpha = mesh coverage, for compositing over video. */
  transparent?: boolean;
}

export interface Renderer {
  readonly info: RendererInfo;
  /** How the device was chosen and which GL libraries this process mapped. */
  readonly evidence: { reason: string; driver: DriverEvidence; antialias: boolean };
  /**
   * Draws the meshes (all sharing `faces`) and returns RGBA, width·height·4,
   * rows top-down. The returned buffer is REUSED: the next draw overwrites it,
   * so copy it if it must outlive that. `faces` are uploaded again only when a
   * different array is passed (mutating the same array in place goes unseen).
   */
  draw(meshes: MeshDraw[], faces: Uint32Array, camera: CameraIntrinsics, opts?: DrawOptions): Uint8Array;
  /**
   * draw() in two halves, so work can overlap the rasteriser: submit() uploads,
   * issues the draw calls and flushes; readback() waits for the image and
   * copies it (top-down rows) into `into`, or into the reused buffer.
   */
  submit(meshes: MeshDraw[], faces: Uint32Array, camera: CameraIntrinsics, opts?: DrawOptions): void;
  readback(into?: Uint8Array): Uint8Array;
  /**
   * Milliseconds of the last draw(). `draw`: normals, uploads and issuing
   * the calls (CPU side). `readback`: readPixels plus the row flip; GL runs
   * asynchronously, so this includes waiting for the rasteriser to finish.
   */
  readonly lastTimes: { draw: number; readback: number };
  dispose(): void;
}

export const DEFAULT_BACKGROUND: RGB = [0.96, 0.96, 0.96];

// Light directions towards the light, OpenCV camera space (y down, z forward):
// key from upper left near the camera, fill from the right.
const KEY = unit([-0.4, -0.6, -0.7]);
const FILL = unit([0.6, -0.1, -0.8]);

// Lighting per vertex (Gouraud): llvmpipe runs vertex work once per vertex
// (~10k) but fragment work once per covered pixel (~130k at 720²), and on
// 2 cores its rasteriser competes with everything else. On a mesh this dense
// (triangles of a few pixels) the picture is nearly the same as per-pixel.
const VERTEX_SHADER = `
attribute vec3 aPos;
attribute vec3 aNormal;
uniform mat4 uProj;
uniform vec3 uColor;
varying vec3 vColor;
const vec3 KEY = vec3(${KEY.map(glslFloat).join(', ')});
const vec3 FILL = vec3(${FILL.map(glslFloat).join(', ')});
void main() {
  vec3 n = normalize(aNormal);
  vec3 v = normalize(-aPos);
  // Two-sided: inner surfaces seen through open parts (mouth, eyes) get lit too.
  if (dot(n, v) < 0.0) n = -n;
  float diffuse = 0.65 * max(dot(n, KEY), 0.0) + 0.3 * max(dot(n, FILL), 0.0);
  float spec = 0.18 * pow(max(dot(n, normalize(KEY + v)), 0.0), 32.0);
  vColor = clamp(uColor * (0.28 + diffuse) + vec3(spec), 0.0, 1.0);
  gl_Position = uProj * vec4(aPos, 1.0);
}`;

const FRAGMENT_SHADER = `
precision mediump float;
varying vec3 vColor;
void main() {
  gl_FragColor = vec4(vColor, 1.0);
}`;

// gl loads once per process and its GLX vendor is fixed from then on.
let processDevice: Device | undefined;

export async function createRenderer(opts: { width: number; height: number; device: DeviceRequest }): Promise<Renderer> {
  const { width, height } = opts;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new RangeError(`Expected positive integer width and height but received ${width}×${height}`);
  }
  const display = process.env.DISPLAY;
  if (!display) throw configError('no X display for GL: DISPLAY is unset (start one with ensureDisplay())');

  const plan = await resolveDevice(opts.device);
  const gl = loadGl()(width, height, { antialias: true, alpha: true, depth: true, premultipliedAlpha: false, preserveDrawingBuffer: true });
  if (!gl) {
    const msg = `could not create a WebGL context on DISPLAY=${display} (${plan.reason})`;
    throw plan.device === 'cuda' ? deviceUnavailable(`--device cuda: ${msg}`) : configError(msg);
  }
  try {
    const evidence = readOwnMaps();
    const glx = await runGlxinfo(process.env);
    assertDevice(plan.device, evidence, glx?.renderer ?? null);
    const fromMaps = describeFromMaps(evidence);
    const info: RendererInfo = {
      device: plan.device,
      glVendor: glx?.vendor ?? fromMaps.vendor,
      glRenderer: glx?.renderer ?? fromMaps.renderer,
      glVersion: glx?.version ?? String(gl.getParameter(gl.VERSION)),
    };
    const antialias = gl.getContextAttributes()?.antialias ?? false;
    return new GlRenderer(gl, width, height, info, { reason: plan.reason, driver: evidence, antialias });
  } catch (err) {
    destroyContext(gl);
    throw err;
  }
}

/**
 * Chooses the device and sets its env in process.env (children inherit it);
 * a GPU is tried in a child process first. createRenderer calls it; the main
 * process can call it too, before spawning workers, to fail early.
 */
export async function resolveDevice(request: DeviceRequest): Promise<DevicePlan> {
  const host = probeHost();
  let plan = planDevice(request, host);
  if (plan.device === 'cuda' && processDevice !== 'cuda') {
    const probe = await probeGlInChild({ ...process.env, ...plan.env });
    const onGpu = probe.ok && probe.evidence?.driver === 'nvidia';
    if (!onGpu) {
      const why = probe.ok ? `context came up on ${probe.evidence?.driver}` : probe.error;
      if (request === 'cuda') throw deviceUnavailable(`--device cuda: NVIDIA GLX context failed on DISPLAY=${process.env.DISPLAY}: ${why}`);
      plan = { ...planDevice('cpu', host), reason: `auto: cpu, NVIDIA GLX context failed (${why})` };
    }
  }
  if (isGlLoaded() && processDevice !== undefined && processDevice !== plan.device) {
    throw deviceUnavailable(`GL is already loaded for ${processDevice} in this process; cannot switch to ${plan.device}`);
  }
  Object.assign(process.env, plan.env);
  processDevice = plan.device;
  return plan;
}

class GlRenderer implements Renderer {
  private readonly program: WebGLProgram;
  private readonly posBuffer: WebGLBuffer;
  private readonly normalBuffer: WebGLBuffer;
  private readonly indexBuffer: WebGLBuffer;
  private readonly aPos: number;
  private readonly aNormal: number;
  private readonly uProj: WebGLUniformLocation;
  private readonly uColor: WebGLUniformLocation;
  private readonly proj = new Float32Array(16);
  private readonly pixels: Uint8Array;
  private readonly rowTmp: Uint8Array;
  private vertexCapacity = 0; // vertices the two VBOs hold
  private normals = new Float32Array(0);
  private indexCapacity = 0;
  private faces: Uint32Array | undefined;
  private maxIndex = -1;
  private disposed = false;
  readonly lastTimes = { draw: 0, readback: 0 };

  constructor(
    private readonly gl: WebGLRenderingContext,
    private readonly width: number,
    private readonly height: number,
    readonly info: RendererInfo,
    readonly evidence: Renderer['evidence'],
  ) {
    if (!gl.getExtension('OES_element_index_uint')) throw configError('GL lacks OES_element_index_uint (32-bit indices)');
    this.program = linkProgram(gl, VERTEX_SHADER, FRAGMENT_SHADER);
    this.aPos = gl.getAttribLocation(this.program, 'aPos');
    this.aNormal = gl.getAttribLocation(this.program, 'aNormal');
    this.uProj = gl.getUniformLocation(this.program, 'uProj')!;
    this.uColor = gl.getUniformLocation(this.program, 'uColor')!;
    this.posBuffer = gl.createBuffer()!;
    this.normalBuffer = gl.createBuffer()!;
    this.indexBuffer = gl.createBuffer()!;
    this.pixels = new Uint8Array(width * height * 4);
    this.rowTmp = new Uint8Array(width * 4);

    gl.useProgram(this.program);
    gl.enableVertexAttribArray(this.aPos);
    gl.enableVertexAttribArray(this.aNormal);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.indexBuffer);
    gl.viewport(0, 0, width, height);
    gl.enable(gl.DEPTH_TEST);
    gl.depthFunc(gl.LESS);
    gl.disable(gl.CULL_FACE); // SMPL-X is not closed everywhere; shading is two-sided
    gl.disable(gl.BLEND);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    const err = gl.getError();
    if (err !== gl.NO_ERROR) throw new BatchRenderError('INTERNAL', `GL setup failed (error 0x${err.toString(16)})`);
  }

  draw(meshes: MeshDraw[], faces: Uint32Array, camera: CameraIntrinsics, opts: DrawOptions = {}): Uint8Array {
    this.submit(meshes, faces, camera, opts);
    return this.readback();
  }

  submit(meshes: MeshDraw[], faces: Uint32Array, camera: CameraIntrinsics, opts: DrawOptions = {}): void {
    if (this.disposed) throw new BatchRenderError('INTERNAL', 'draw() after dispose()');
    if (camera.width !== this.width || camera.height !== this.height) {
      throw new RangeError(`Expected camera of ${this.width}×${this.height} but received ${camera.width}×${camera.height}`);
    }
    const gl = this.gl;
    const t0 = performance.now();
    this.uploadFaces(faces);

    let total = 0;
    for (const m of meshes) {
      if (m.vertices.length % 3 !== 0) throw new RangeError(`Expected vertices length divisible by 3 but received ${m.vertices.length}`);
      const n = m.vertices.length / 3;
      if (n <= this.maxIndex) throw new RangeError(`faces reference vertex ${this.maxIndex} but a mesh has only ${n} vertices`);
      total += n;
    }
    this.ensureVertexCapacity(total);

    // Positions go up per mesh (no staging copy); normals in one call.
    gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuffer);
    let minZ = Infinity, maxZ = -Infinity, offset = 0;
    for (const m of meshes) {
      gl.bufferSubData(gl.ARRAY_BUFFER, offset * 12, m.vertices);
      computeVertexNormals(m.vertices, faces, this.normals.subarray(offset * 3, offset * 3 + m.vertices.length));
      const v = m.vertices;
      for (let i = 2; i < v.length; i += 3) {
        if (v[i] < minZ) minZ = v[i];
        if (v[i] > maxZ) maxZ = v[i];
      }
      offset += v.length / 3;
    }
    if (total > 0) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.normalBuffer);
      gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.normals.subarray(0, total * 3));
    }

    const bg = opts.background ?? DEFAULT_BACKGROUND;
    if (opts.transparent) gl.clearColor(0, 0, 0, 0);
    else gl.clearColor(bg[0], bg[1], bg[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);

    if (total > 0 && faces.length > 0) {
      const [near, far] = depthRange(minZ, maxZ);
      projectionFromIntrinsics(camera, near, far, this.proj);
      gl.uniformMatrix4fv(this.uProj, false, this.proj);
      offset = 0;
      for (const m of meshes) {
        gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuffer);
        gl.vertexAttribPointer(this.aPos, 3, gl.FLOAT, false, 0, offset * 12);
        gl.bindBuffer(gl.ARRAY_BUFFER, this.normalBuffer);
        gl.vertexAttribPointer(this.aNormal, 3, gl.FLOAT, false, 0, offset * 12);
        gl.uniform3f(this.uColor, m.color[0], m.color[1], m.color[2]);
        gl.drawElements(gl.TRIANGLES, faces.length, gl.UNSIGNED_INT, 0);
        offset += m.vertices.length / 3;
      }
    }

    // Start llvmpipe's rasteriser threads now; the caller can compute the next mesh before readback().
    gl.flush();
    this.lastTimes.draw = performance.now() - t0;
  }

  readback(into?: Uint8Array): Uint8Array {
    const out = into ?? this.pixels;
    if (out.length !== this.width * this.height * 4) throw new RangeError(`Expected a ${this.width * this.height * 4}-byte buffer but received ${out.length}`);
    const t1 = performance.now();
    this.gl.readPixels(0, 0, this.width, this.height, this.gl.RGBA, this.gl.UNSIGNED_BYTE, out);
    flipRows(out, this.height, this.rowTmp);
    this.lastTimes.readback = performance.now() - t1;
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const gl = this.gl;
    gl.deleteBuffer(this.posBuffer);
    gl.deleteBuffer(this.normalBuffer);
    gl.deleteBuffer(this.indexBuffer);
    gl.deleteProgram(this.program);
    destroyContext(gl);
  }

  private uploadFaces(faces: Uint32Array): void {
    if (faces === this.faces) return;
    if (faces.length % 3 !== 0) throw new RangeError(`Expected faces length divisible by 3 but received ${faces.length}`);
    const gl = this.gl;
    if (faces.length > this.indexCapacity) {
      gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, faces, gl.STATIC_DRAW);
      this.indexCapacity = faces.length;
    } else {
      gl.bufferSubData(gl.ELEMENT_ARRAY_BUFFER, 0, faces);
    }
    let max = -1;
    for (let i = 0; i < faces.length; i++) if (faces[i] > max) max = faces[i];
    this.maxIndex = max;
    this.faces = faces;
  }

  private ensureVertexCapacity(vertices: number): void {
    if (vertices <= this.vertexCapacity) return;
    const gl = this.gl;
    for (const buf of [this.posBuffer, this.normalBuffer]) {
      gl.bindBuffer(gl.ARRAY_BUFFER, buf);
      gl.bufferData(gl.ARRAY_BUFFER, vertices * 12, gl.DYNAMIC_DRAW);
    }
    this.normals = new Float32Array(vertices * 3);
    this.vertexCapacity = vertices;
  }
}

/**
 * Area-weighted smooth normals: each face adds its unnormalised cross
 * product (length = 2·area) to its three vertices; then normalise. Vertices
 * used by no face get (0, 0, -1), facing the camera.
 * vertices: (N·3), faces: (F·3), out: (N·3), overwritten.
 */
export function computeVertexNormals(vertices: Float32Array, faces: Uint32Array, out: Float32Array): void {
  out.fill(0);
  const v = vertices;
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f] * 3, b = faces[f + 1] * 3, c = faces[f + 2] * 3;
    const e1x = v[b] - v[a], e1y = v[b + 1] - v[a + 1], e1z = v[b + 2] - v[a + 2];
    const e2x = v[c] - v[a], e2y = v[c + 1] - v[a + 1], e2z = v[c + 2] - v[a + 2];
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    out[a] += nx; out[a + 1] += ny; out[a + 2] += nz;
    out[b] += nx; out[b + 1] += ny; out[b + 2] += nz;
    out[c] += nx; out[c + 1] += ny; out[c + 2] += nz;
  }
  for (let i = 0; i < out.length; i += 3) {
    const len = Math.hypot(out[i], out[i + 1], out[i + 2]);
    if (len > 0) {
      out[i] /= len; out[i + 1] /= len; out[i + 2] /= len;
    } else {
      out[i] = 0; out[i + 1] = 0; out[i + 2] = -1;
    }
  }
}

/**
 * Clip-space matrix (column-major, for uniformMatrix4fv) taking OpenCV
 * camera coordinates straight to clip space, so that the pixel whose centre
 * is (u, v) = (fx·X/Z + cx, fy·Y/Z + cy) — integer u, v at pixel centres,
 * top-left origin, rows read back top-down — is where the point lands.
 * Equivalent to flipping y and z into GL eye space and an off-axis frustum:
 *   x_clip = 2fx/W·X + (2(cx+½)/W − 1)·Z
 *   y_clip = −2fy/H·Y + (1 − 2(cy+½)/H)·Z
 *   z_clip = (f+n)/(f−n)·Z − 2fn/(f−n),  w_clip = Z
 */
export function projectionFromIntrinsics(cam: CameraIntrinsics, near: number, far: number, out = new Float32Array(16)): Float32Array {
  const { fx, fy, cx, cy, width: W, height: H } = cam;
  out.fill(0);
  out[0] = (2 * fx) / W;
  out[5] = (-2 * fy) / H;
  out[8] = (2 * (cx + 0.5)) / W - 1;
  out[9] = 1 - (2 * (cy + 0.5)) / H;
  out[10] = (far + near) / (far - near);
  out[11] = 1;
  out[14] = (-2 * far * near) / (far - near);
  return out;
}

/** Near/far planes hugging the meshes' depth range; geometry behind the camera is clipped. */
export function depthRange(minZ: number, maxZ: number): [number, number] {
  const pad = 0.01 * Math.max(maxZ - minZ, 0) + 1e-3;
  const near = Math.max(minZ - pad, 1e-3);
  const far = Math.max(maxZ + pad, near * 1.01 + 1e-3);
  return [near, far];
}

/** readPixels gives bottom-up rows; callers want top-down. In place. */
function flipRows(buf: Uint8Array, height: number, tmp: Uint8Array): void {
  const row = tmp.length;
  for (let top = 0, bottom = (height - 1) * row; top < bottom; top += row, bottom -= row) {
    tmp.set(buf.subarray(top, top + row));
    buf.copyWithin(top, bottom, bottom + row);
    buf.set(tmp, bottom);
  }
}

function linkProgram(gl: WebGLRenderingContext, vsSource: string, fsSource: string): WebGLProgram {
  const compile = (type: number, src: string) => {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, src);
    gl.compileShader(s);
    if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) {
      throw new BatchRenderError('INTERNAL', `shader compile failed: ${gl.getShaderInfoLog(s)}`);
    }
    return s;
  };
  const p = gl.createProgram()!;
  const vs = compile(gl.VERTEX_SHADER, vsSource);
  const fs = compile(gl.FRAGMENT_SHADER, fsSource);
  gl.attachShader(p, vs);
  gl.attachShader(p, fs);
  gl.linkProgram(p);
  gl.deleteShader(vs);
  gl.deleteShader(fs);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) {
    throw new BatchRenderError('INTERNAL', `program link failed: ${gl.getProgramInfoLog(p)}`);
  }
  return p;
}

function unit(v: [number, number, number]): [number, number, number] {
  const l = Math.hypot(...v);
  return [v[0] / l, v[1] / l, v[2] / l];
}

function glslFloat(x: number): string {
  return x.toFixed(6);
}

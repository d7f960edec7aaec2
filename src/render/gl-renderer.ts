/**
 * The mesh renderer: smooth normals, depth test, exact pinhole projection
 * from OpenCV intrinsics, drawn through a WebGL-1-shaped context. The
 * context comes from a backend (headless-gl on GLX, or our EGL addon), so
 * this drawing code is the same for both.
 */
import { BatchRenderError, configError } from '../errors.js';
import type { CameraIntrinsics, MeshDraw, RendererInfo, RGB } from '../types.js';
import { depthRange, projectionFromIntrinsics } from '../camera/projection.js';
import { computeVertexNormals } from './vertex-normals.js';
import { FRAGMENT_SHADER, VERTEX_SHADER, linkProgram } from './shaders.js';
import type { GlCalls } from './gl-calls.js';

export interface DrawOptions {
  /** Clear colour, 0..1; default light grey. Ignored when `transparent`. */
  background?: RGB;
  /** Clear to alpha 0 so alpha = mesh coverage, for compositing over video. */
  transparent?: boolean;
}

export interface Renderer {
  readonly info: RendererInfo;
  /** How the device was chosen and what proves which driver drew (backend-specific). */
  readonly evidence: Record<string, unknown>;
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
  /**
   * submit() of several views of one frame side by side: panel k is drawn
   * with its own camera into the viewport right of panel k−1; the panels'
   * widths add up to the image's width, each as high as the image.
   */
  submitPanels(panels: Panel[], faces: Uint32Array, opts?: DrawOptions): void;
  readback(into?: Uint8Array): Uint8Array;
  /**
   * Milliseconds of the last draw(). `draw`: normals, uploads and issuing
   * the calls (CPU side). `readback`: readPixels plus the row flip; GL runs
   * asynchronously, so this includes waiting for the rasteriser to finish.
   */
  readonly lastTimes: { draw: number; readback: number };
  dispose(): void;
}

/** One view of a frame: its meshes (already in its camera's space) and its camera. */
export interface Panel {
  meshes: MeshDraw[];
  camera: CameraIntrinsics;
}

export const DEFAULT_BACKGROUND: RGB = [0.96, 0.96, 0.96];

/** A drawing context from a backend, and how to free it. */
export interface GlContext {
  gl: GlCalls;
  info: RendererInfo;
  evidence: Record<string, unknown>;
  destroy(): void;
}

export function createGlRenderer(ctx: GlContext, width: number, height: number): Renderer {
  return new GlRenderer(ctx, width, height);
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

  private readonly gl: GlCalls;
  readonly info: RendererInfo;
  readonly evidence: Record<string, unknown>;

  constructor(private readonly ctx: GlContext, private readonly width: number, private readonly height: number) {
    const gl = (this.gl = ctx.gl);
    this.info = ctx.info;
    this.evidence = ctx.evidence;
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
    if (camera.width !== this.width || camera.height !== this.height) {
      throw new RangeError(`Expected camera of ${this.width}×${this.height} but received ${camera.width}×${camera.height}`);
    }
    this.submitPanels([{ meshes, camera }], faces, opts);
  }

  submitPanels(panels: Panel[], faces: Uint32Array, opts: DrawOptions = {}): void {
    if (this.disposed) throw new BatchRenderError('INTERNAL', 'draw() after dispose()');
    const widths = panels.reduce((w, p) => w + p.camera.width, 0);
    if (widths !== this.width || panels.some((p) => p.camera.height !== this.height)) {
      throw new RangeError(`Expected panels filling ${this.width}×${this.height} but received ${panels.map((p) => `${p.camera.width}×${p.camera.height}`).join(' + ')}`);
    }
    const gl = this.gl;
    const t0 = performance.now();
    this.uploadFaces(faces);
    const total = this.countVertices(panels);
    this.ensureVertexCapacity(total);
    const depth = this.uploadPanels(panels, faces, total);

    const bg = opts.background ?? DEFAULT_BACKGROUND;
    if (opts.transparent) gl.clearColor(0, 0, 0, 0);
    else gl.clearColor(bg[0], bg[1], bg[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);

    // Each panel in its own viewport, left to right, with its own depth range; one upload for all.
    let offset = 0, x0 = 0;
    panels.forEach((p, k) => {
      gl.viewport(x0, 0, p.camera.width, p.camera.height);
      x0 += p.camera.width;
      if (total > 0 && faces.length > 0 && depth[k][0] <= depth[k][1]) {
        const [near, far] = depthRange(depth[k][0], depth[k][1]);
        projectionFromIntrinsics(p.camera, near, far, this.proj);
        gl.uniformMatrix4fv(this.uProj, false, this.proj);
        for (const m of p.meshes) {
          gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuffer);
          gl.vertexAttribPointer(this.aPos, 3, gl.FLOAT, false, 0, offset * 12);
          gl.bindBuffer(gl.ARRAY_BUFFER, this.normalBuffer);
          gl.vertexAttribPointer(this.aNormal, 3, gl.FLOAT, false, 0, offset * 12);
          gl.uniform3f(this.uColor, m.color[0], m.color[1], m.color[2]);
          gl.drawElements(gl.TRIANGLES, faces.length, gl.UNSIGNED_INT, 0);
          offset += m.vertices.length / 3;
        }
      } else for (const m of p.meshes) offset += m.vertices.length / 3;
    });

    // Start llvmpipe's rasteriser threads now; the caller can compute the next mesh before readback().
    gl.flush();
    this.lastTimes.draw = performance.now() - t0;
  }

  /** Vertices of every panel's meshes, each checked against the faces. */
  private countVertices(panels: Panel[]): number {
    let total = 0;
    for (const p of panels) {
      for (const m of p.meshes) {
        if (m.vertices.length % 3 !== 0) throw new RangeError(`Expected vertices length divisible by 3 but received ${m.vertices.length}`);
        const n = m.vertices.length / 3;
        if (n <= this.maxIndex) throw new RangeError(`faces reference vertex ${this.maxIndex} but a mesh has only ${n} vertices`);
        total += n;
      }
    }
    return total;
  }

  /**
   * Positions go up per mesh (no staging copy); normals, computed from each
   * panel's own (turned) vertices, in one call. Returns each panel's [minZ, maxZ].
   */
  private uploadPanels(panels: Panel[], faces: Uint32Array, total: number): Array<[number, number]> {
    const gl = this.gl;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.posBuffer);
    let offset = 0;
    const depth = panels.map((p) => {
      let minZ = Infinity, maxZ = -Infinity;
      for (const m of p.meshes) {
        gl.bufferSubData(gl.ARRAY_BUFFER, offset * 12, m.vertices);
        computeVertexNormals(m.vertices, faces, this.normals.subarray(offset * 3, offset * 3 + m.vertices.length));
        const v = m.vertices;
        for (let i = 2; i < v.length; i += 3) {
          if (v[i] < minZ) minZ = v[i];
          if (v[i] > maxZ) maxZ = v[i];
        }
        offset += v.length / 3;
      }
      return [minZ, maxZ] as [number, number];
    });
    if (total > 0) {
      gl.bindBuffer(gl.ARRAY_BUFFER, this.normalBuffer);
      gl.bufferSubData(gl.ARRAY_BUFFER, 0, this.normals.subarray(0, total * 3));
    }
    return depth;
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
    this.ctx.destroy();
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

/** readPixels gives bottom-up rows; callers want top-down. In place. */
function flipRows(buf: Uint8Array, height: number, tmp: Uint8Array): void {
  const row = tmp.length;
  for (let top = 0, bottom = (height - 1) * row; top < bottom; top += row, bottom -= row) {
    tmp.set(buf.subarray(top, top + row));
    buf.copyWithin(top, bottom, bottom + row);
    buf.set(tmp, bottom);
  }
}


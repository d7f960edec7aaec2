/**
 * The mesh shaders (GLSL ES 1.00: WebGL 1 and GLES 3 contexts both take it)
 * and their program linking. Lighting is fixed: key + fill light, ambient
 * and a little specular, in OpenCV camera space.
 */
import { BatchRenderError } from '../errors.js';
import type { GlCalls } from './gl-calls.js';

// Light directions towards the light, OpenCV camera space (y down, z forward):
// key from upper left near the camera, fill from the right.
const KEY = unit([-0.4, -0.6, -0.7]);
const FILL = unit([0.6, -0.1, -0.8]);

// Lighting per vertex (Gouraud): llvmpipe runs vertex work once per vertex
// (~10k) but fragment work once per covered pixel (~130k at 720²), and on
// 2 cores its rasteriser competes with everything else. On a mesh this dense
// (triangles of a few pixels) the picture is nearly the same as per-pixel.
export const VERTEX_SHADER = `
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

export const FRAGMENT_SHADER = `
precision mediump float;
varying vec3 vColor;
void main() {
  gl_FragColor = vec4(vColor, 1.0);
}`;

export function linkProgram(gl: GlCalls, vsSource: string, fsSource: string): WebGLProgram {
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

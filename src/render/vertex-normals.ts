/**
 * Per-vertex normals for smooth shading, pure math on flat typed arrays.
 */

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


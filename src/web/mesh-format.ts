/**
 * The viewer's compact mesh binaries, little-endian, 4-byte aligned:
 *   mesh:     u32 magic 'BRM1', u32 persons P, u32 vertices V, u32 frame,
 *             i32 personId[P], f32 positions[P·V·3] (OpenCV camera space, metres)
 *   topology: u32 magic 'BRT1', u32 V, u32 faces F, u32 hand vertices H,
 *             u32 faces[F·3], u32 handVertices[H]
 * Faces are sent once per sequence; each frame sends positions only.
 */
export const MESH_MAGIC = 0x314d5242; // 'BRM1'
export const TOPOLOGY_MAGIC = 0x31545242; // 'BRT1'

export interface FrameMesh { frame: number; personIds: Int32Array; numVertices: number; positions: Float32Array }
export interface Topology { numVertices: number; faces: Uint32Array; handVertices: Uint32Array }

export function encodeMesh(frame: number, personIds: number[], meshes: Float32Array[]): Uint8Array {
  const V = meshes.length ? meshes[0].length / 3 : 0;
  const P = meshes.length;
  const buf = new ArrayBuffer(16 + 4 * P + 12 * P * V);
  const head = new Uint32Array(buf, 0, 4);
  head.set([MESH_MAGIC, P, V, frame]);
  new Int32Array(buf, 16, P).set(personIds);
  const pos = new Float32Array(buf, 16 + 4 * P, P * V * 3);
  meshes.forEach((m, i) => pos.set(m, i * V * 3));
  return new Uint8Array(buf);
}

export function decodeMesh(buf: ArrayBuffer): FrameMesh {
  const [magic, P, V, frame] = new Uint32Array(buf, 0, 4);
  if (magic !== MESH_MAGIC) throw new Error('not a batch-render mesh binary');
  const expect = 16 + 4 * P + 12 * P * V;
  if (buf.byteLength !== expect) throw new Error(`mesh binary is ${buf.byteLength} bytes, expected ${expect}`);
  return { frame, personIds: new Int32Array(buf, 16, P), numVertices: V, positions: new Float32Array(buf, 16 + 4 * P, P * V * 3) };
}

export function encodeTopology(numVertices: number, faces: Uint32Array, handVertices: Uint32Array): Uint8Array {
  const F = faces.length / 3;
  const buf = new ArrayBuffer(16 + 4 * faces.length + 4 * handVertices.length);
  new Uint32Array(buf, 0, 4).set([TOPOLOGY_MAGIC, numVertices, F, handVertices.length]);
  new Uint32Array(buf, 16, faces.length).set(faces);
  new Uint32Array(buf, 16 + 4 * faces.length, handVertices.length).set(handVertices);
  return new Uint8Array(buf);
}

export function decodeTopology(buf: ArrayBuffer): Topology {
  const [magic, V, F, H] = new Uint32Array(buf, 0, 4);
  if (magic !== TOPOLOGY_MAGIC) throw new Error('not a batch-render topology binary');
  if (buf.byteLength !== 16 + 12 * F + 4 * H) throw new Error('topology binary has the wrong size');
  return { numVertices: V, faces: new Uint32Array(buf, 16, F * 3), handVertices: new Uint32Array(buf, 16 + 12 * F, H) };
}

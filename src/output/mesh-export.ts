/**
 * Posed-mesh export (`--export obj|ply`): vertices in the input's own OpenCV
 * camera coordinates (what `person_0_smplx_mesh_cam` holds), faces 1-based in OBJ.
 */
export type MeshFormat = 'obj' | 'ply';

export function encodeObj(meshes: Float32Array[], faces: Uint32Array): Buffer {
  const parts: string[] = ['# batch-render posed SMPL-X mesh, OpenCV camera coordinates (metres)\n'];
  let base = 0;
  meshes.forEach((v, m) => {
    const nv = v.length / 3;
    if (meshes.length > 1) parts.push(`o person_${m}\n`);
    for (let i = 0; i < v.length; i += 3) parts.push(`v ${v[i].toFixed(6)} ${v[i + 1].toFixed(6)} ${v[i + 2].toFixed(6)}\n`);
    for (let i = 0; i < faces.length; i += 3) parts.push(`f ${faces[i] + 1 + base} ${faces[i + 1] + 1 + base} ${faces[i + 2] + 1 + base}\n`);
    base += nv;
  });
  return Buffer.from(parts.join(''));
}

export function encodePly(meshes: Float32Array[], faces: Uint32Array): Buffer {
  const nv = meshes.reduce((a, v) => a + v.length / 3, 0);
  const nf = (faces.length / 3) * meshes.length;
  const header = Buffer.from(
    `ply\nformat binary_little_endian 1.0\ncomment batch-render posed SMPL-X mesh, OpenCV camera coordinates (metres)\n` +
    `element vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\n` +
    `element face ${nf}\nproperty list uchar int vertex_indices\nend_header\n`, 'latin1');
  const body = Buffer.alloc(nv * 12 + nf * 13);
  let o = 0;
  for (const v of meshes) for (let i = 0; i < v.length; i++, o += 4) body.writeFloatLE(v[i], o);
  let base = 0;
  for (const v of meshes) {
    for (let i = 0; i < faces.length; i += 3) {
      body[o++] = 3;
      body.writeInt32LE(faces[i] + base, o); body.writeInt32LE(faces[i + 1] + base, o + 4); body.writeInt32LE(faces[i + 2] + base, o + 8);
      o += 12;
    }
    base += v.length / 3;
  }
  return Buffer.concat([header, body]);
}

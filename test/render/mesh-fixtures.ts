/** Test meshes built in code: icospheres and single triangles. */

/** Unit icosphere: 20·4^level faces. vertices (N·3), faces (F·3). */
export function icosphere(level: number): { vertices: Float32Array; faces: Uint32Array } {
  const t = (1 + Math.sqrt(5)) / 2;
  const verts: number[][] = [
    [-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0],
    [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t],
    [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1],
  ].map(normalize);
  let faces: number[][] = [
    [0, 11, 5], [0, 5, 1], [0, 1, 7], [0, 7, 10], [0, 10, 11],
    [1, 5, 9], [5, 11, 4], [11, 10, 2], [10, 7, 6], [7, 1, 8],
    [3, 9, 4], [3, 4, 2], [3, 2, 6], [3, 6, 8], [3, 8, 9],
    [4, 9, 5], [2, 4, 11], [6, 2, 10], [8, 6, 7], [9, 8, 1],
  ];
  for (let l = 0; l < level; l++) {
    const cache = new Map<string, number>();
    const mid = (a: number, b: number) => {
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      let i = cache.get(key);
      if (i === undefined) {
        i = verts.push(normalize(verts[a].map((x, k) => (x + verts[b][k]) / 2))) - 1;
        cache.set(key, i);
      }
      return i;
    };
    faces = faces.flatMap(([a, b, c]) => {
      const ab = mid(a, b), bc = mid(b, c), ca = mid(c, a);
      return [[a, ab, ca], [b, bc, ab], [c, ca, bc], [ab, bc, ca]];
    });
  }
  return { vertices: new Float32Array(verts.flat()), faces: new Uint32Array(faces.flat()) };
}

/** Copy of unit-sphere vertices scaled by r and moved to (x, y, z). */
export function placed(unit: Float32Array, r: number, x: number, y: number, z: number): Float32Array {
  const out = new Float32Array(unit.length);
  for (let i = 0; i < unit.length; i += 3) {
    out[i] = unit[i] * r + x;
    out[i + 1] = unit[i + 1] * r + y;
    out[i + 2] = unit[i + 2] * r + z;
  }
  return out;
}

function normalize(v: number[]): number[] {
  const l = Math.hypot(...v);
  return v.map((x) => x / l);
}

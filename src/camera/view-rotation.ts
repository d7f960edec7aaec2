/**
 * The extra views of --views, as pure math. A view is the scene turned
 * rigidly about a pivot (the sequence's centre, camera space) and seen by a
 * camera at the origin looking along +z (OpenCV axes: x right, y down):
 *   x_view = R·(x − pivot) + (0, 0, distance) = R·x + t.
 * front: R = I, no move (the source camera itself).
 * side:  90° about the vertical (y) axis: the camera stands to the right of
 *        the source view (at +x of the pivot) looking back at it, so a point
 *        right of the pivot comes towards the camera, and a point nearer the
 *        source camera moves left: a body facing the source camera shows
 *        its profile facing left (its left side). x' = z, y' = y, z' = −x.
 * top:   90° about the x axis: the camera looks down on the head (the head,
 *        −y, comes towards the camera), right stays right and the source
 *        camera's side of the body is at the bottom of the image.
 *        x' = x, y' = −z, z' = y.
 * Both are proper rotations (det +1), so the mesh is not mirrored and its
 * winding and normals turn with it.
 */

export type ViewName = 'front' | 'side' | 'top';
export const VIEW_NAMES: readonly ViewName[] = ['front', 'side', 'top'];

/** The default: the source camera's view alone (drawn and fingerprinted as it always was). */
export const isFrontOnly = (v: readonly ViewName[]): boolean => v.length === 1 && v[0] === 'front';

/** Row-major 3×3 rotation. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

const ROTATIONS: Record<ViewName, Mat3> = {
  front: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  side: [0, 0, 1, 0, 1, 0, -1, 0, 0],
  top: [1, 0, 0, 0, 0, -1, 0, 1, 0],
};

export const viewRotation = (name: ViewName): Mat3 => [...ROTATIONS[name]] as Mat3;

/** A view's rigid move: x_view = R·x + t. */
export interface ViewPose {
  rotation: Mat3;
  translation: [number, number, number];
}

/** No move: the front view is the source camera itself. */
export const IDENTITY_POSE: ViewPose = { rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0] };

/**
 * The pose of view `name` turned about `pivot`, its camera `distance` from
 * the pivot along +z. front: no move at all (not even centring the pivot), so
 * the front view is exactly the single-view render.
 */
export function viewPose(name: ViewName, pivot: readonly [number, number, number], distance: number): ViewPose {
  if (name === 'front') return { rotation: [...IDENTITY_POSE.rotation], translation: [0, 0, 0] };
  const R = viewRotation(name);
  const rp = applyRotation(R, pivot[0], pivot[1], pivot[2]);
  return { rotation: R, translation: [-rp[0], -rp[1], distance - rp[2]] };
}

export function applyRotation(R: Mat3, x: number, y: number, z: number): [number, number, number] {
  return [R[0] * x + R[1] * y + R[2] * z, R[3] * x + R[4] * y + R[5] * z, R[6] * x + R[7] * y + R[8] * z];
}

export const applyPose = (p: ViewPose, x: number, y: number, z: number): [number, number, number] => {
  const r = applyRotation(p.rotation, x, y, z);
  return [r[0] + p.translation[0], r[1] + p.translation[1], r[2] + p.translation[2]];
};

/** Moves x, y, z triples of `src` into the view, writing `out` (may be `src`); float32 like the meshes. */
export function poseVertices(p: ViewPose, src: Float32Array, out: Float32Array): Float32Array {
  const [a, b, c, d, e, f, g, h, i] = p.rotation;
  const [tx, ty, tz] = p.translation;
  for (let k = 0; k < src.length; k += 3) {
    const x = src[k], y = src[k + 1], z = src[k + 2];
    out[k] = a * x + b * y + c * z + tx;
    out[k + 1] = d * x + e * y + f * z + ty;
    out[k + 2] = g * x + h * y + i * z + tz;
  }
  return out;
}

/**
 * `--views` value → view names in the order given (pure), or the problem
 * when a name is unknown, empty or repeated.
 */
export function parseViewList(v: string): { views: ViewName[] } | { problem: string } {
  const names = v.split(',').map((s) => s.trim());
  const views: ViewName[] = [];
  for (const n of names) {
    if (!(VIEW_NAMES as readonly string[]).includes(n)) return { problem: n === '' ? 'an empty view name' : `unknown view "${n}"` };
    if (views.includes(n as ViewName)) return { problem: `view "${n}" given twice` };
    views.push(n as ViewName);
  }
  return { views };
}

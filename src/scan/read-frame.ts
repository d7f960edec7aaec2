/**
 * Reads one frame file and classifies it: ok, no_person, missing_key,
 * corrupt, invalid_value or missing_file, with a one-line detail. Never throws
 * for bad data; one bad frame must never stop a batch.
 *
 * Work is bounded whatever the file declares: only regular files are opened
 * (never blocking on a FIFO), only the entries a person needs are read, and
 * each array's length is checked from its header before its data is read.
 */
import { openNpzBuffer, openNpzFile, type NpzFile } from '../npz/read-npz.js';
import { FrameDataError } from '../errors.js';
import type { DataCheck, PersonParams } from '../types.js';

export type PersonSelector = number | 'all';

export interface FrameReading {
  check: DataCheck;
  detail: string | null;
  /** Usable people selected by the selector (empty unless check is ok). */
  persons: PersonParams[];
  /** People the file says were detected. */
  detected: number;
}

/** Required per-person arrays and their element counts (null: any count ≥ 1). */
const REQUIRED: Array<[string, keyof PersonParams, number | null]> = [
  ['smplx_root_pose', 'rootPose', 3],
  ['smplx_body_pose', 'bodyPose', 63],
  ['smplx_lhand_pose', 'lhandPose', 45],
  ['smplx_rhand_pose', 'rhandPose', 45],
  ['smplx_jaw_pose', 'jawPose', 3],
  ['smplx_shape', 'betas', null],
  ['smplx_expr', 'expr', null],
  ['cam_trans', 'camTrans', 3],
];

/** More detected people than this in one frame is not a real detection. */
export const MAX_PERSONS = 1000;
/** Longest betas / expression vector accepted (SMPL-X has 300 shape and 100 expression components). */
export const MAX_COMPONENTS = 10000;
/** Farther than this from the camera (metres, on any axis) is no plausible body position. */
export const MAX_DISTANCE_M = 1000;

export function readFrameFile(path: string, selector: PersonSelector): FrameReading {
  let npz: NpzFile & { close(): void };
  try {
    npz = openNpzFile(path);
  } catch (err) {
    if (err instanceof FrameDataError) return fail(err.reason, err.message);
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return fail('missing_file', 'file disappeared before it was read');
    return fail('corrupt', `unreadable file (${code ?? (err as Error).message})`);
  }
  try {
    return classify(npz, selector);
  } finally {
    npz.close();
  }
}

/** Classifies NPZ bytes held in memory. */
export function classifyNpz(buf: Buffer, selector: PersonSelector): FrameReading {
  let npz: NpzFile;
  try {
    npz = openNpzBuffer(buf);
  } catch (err) {
    return failure(err);
  }
  return classify(npz, selector);
}

function classify(npz: NpzFile, selector: PersonSelector): FrameReading {
  try {
    const count = personCount(npz);
    if (count === 0) return fail('no_person', 'no person detected (person_ids is empty)');
    const indices = selector === 'all' ? range(count) : [selector];
    if (selector !== 'all' && selector >= count) {
      return fail('no_person', `person ${selector} not detected (${count} ${count === 1 ? 'person' : 'people'} in frame)`, count);
    }
    const persons: PersonParams[] = [];
    let firstFailure: FrameReading | null = null;
    for (const i of indices) {
      try {
        persons.push(readPerson(npz, i));
      } catch (err) {
        if (!(err instanceof FrameDataError)) throw err;
        firstFailure ??= fail(err.reason, err.message, count);
      }
    }
    if (persons.length === 0) return firstFailure!;
    return { check: 'ok', detail: null, persons, detected: count };
  } catch (err) {
    return failure(err);
  }
}

/** Any error while reading is this frame's problem, never the batch's. */
function failure(err: unknown): FrameReading {
  if (err instanceof FrameDataError) return fail(err.reason, err.message);
  return fail('corrupt', (err as Error).message);
}

/** person_ids length; without person_ids, the person_{i}_* keys present. */
function personCount(npz: NpzFile): number {
  if (npz.has('person_ids')) {
    // From the header: a person_ids of millions is refused before its data is read.
    const { count } = npz.header('person_ids');
    if (count > MAX_PERSONS) throw new FrameDataError('invalid_value', `person_ids has ${count} entries, more than ${MAX_PERSONS} people: not a real detection`);
    const ids = npz.get('person_ids');
    return Array.isArray(ids.data) ? 0 : ids.data.length;
  }
  let n = 0;
  while (npz.has(`person_${n}_cam_trans`) || npz.has(`person_${n}_smplx_root_pose`)) n++;
  // Neither the list nor any person (an empty archive, another kind of NPZ): not a frame file.
  if (n === 0) throw new FrameDataError('missing_key', 'missing person_ids (and no person_0_* arrays)');
  return n;
}

function readPerson(npz: NpzFile, i: number): PersonParams {
  const missing = REQUIRED.map(([k]) => `person_${i}_${k}`).filter((k) => !npz.has(k));
  if (missing.length > 0) throw new FrameDataError('missing_key', `missing ${missing.join(', ')}`);
  const p: Partial<PersonParams> = { personId: i };
  for (const [suffix, field, count] of REQUIRED) {
    const key = `person_${i}_${suffix}`;
    (p as Record<string, unknown>)[field] = vector(npz, key, count);
  }
  checkPlacement(p.camTrans!, `person_${i}_cam_trans`);
  p.focal = optionalPair(npz, `person_${i}_focal`, 2) as [number, number] | undefined;
  p.princpt = optionalPair(npz, `person_${i}_princpt`, 2) as [number, number] | undefined;
  p.bboxXywh = optionalPair(npz, `person_${i}_bbox_xywh`, 4) as PersonParams['bboxXywh'];
  return p as PersonParams;
}

/**
 * A float vector of `count` values (null: any ≥ 1). Accepts (n,), (1,n), (k,3)
 * and (1,k,3) layouts; anything else, a wrong length, or NaN/Inf is invalid_value.
 */
function vector(npz: NpzFile, key: string, count: number | null): Float64Array {
  // The length from the header first, so a vector declaring millions of values is never read.
  const declared = npz.header(key).count;
  if (count !== null && declared !== count) throw new FrameDataError('invalid_value', `${key} has ${declared} values, expected ${count}`);
  if (declared > MAX_COMPONENTS) throw new FrameDataError('invalid_value', `${key} has ${declared} values, more than ${MAX_COMPONENTS}`);
  const arr = npz.get(key);
  if (Array.isArray(arr.data)) throw new FrameDataError('invalid_value', `${key} holds strings, expected numbers`);
  const n = arr.data.length;
  const shape = arr.shape;
  const dims = shape.filter((d) => d !== 1);
  const layoutOk = dims.length <= 1 || (dims.length === 2 && dims[1] === 3);
  if (!layoutOk) throw new FrameDataError('invalid_value', `${key} has shape (${shape.join(',')}), expected a vector`);
  if (count !== null && n !== count) throw new FrameDataError('invalid_value', `${key} has ${n} values, expected ${count}`);
  if (count === null && n === 0) throw new FrameDataError('invalid_value', `${key} is empty`);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const v = arr.data[j];
    if (!Number.isFinite(v)) throw new FrameDataError('invalid_value', `${key} contains ${Number.isNaN(v) ? 'NaN' : 'Inf'}`);
    out[j] = v;
  }
  return out;
}

/**
 * A finite but absurd translation would make the sequence camera frame a
 * body kilometres away and leave every other frame blank: refuse it here.
 */
function checkPlacement(t: Float64Array, key: string): void {
  const [x, y, z] = t;
  if (z <= 0) throw new FrameDataError('invalid_value', `${key} z is ${z}, must be in front of the camera (> 0)`);
  for (const [axis, v] of [['x', x], ['y', y], ['z', z]] as const) {
    if (Math.abs(v) > MAX_DISTANCE_M) {
      throw new FrameDataError('invalid_value', `${key} ${axis} is ${v} m, beyond ${MAX_DISTANCE_M} m (1 km) from the camera: not a plausible position`);
    }
  }
}

/** Optional camera/box arrays: used when present and sane, ignored otherwise. */
function optionalPair(npz: NpzFile, key: string, count: number): number[] | undefined {
  if (!npz.has(key)) return undefined;
  try {
    const v = vector(npz, key, count);
    return Array.from(v);
  } catch {
    return undefined;
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const fail = (check: DataCheck, detail: string, detected = 0): FrameReading => ({ check, detail, persons: [], detected });

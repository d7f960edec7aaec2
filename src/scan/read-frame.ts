/**
 * Reads one frame file and classifies it: ok, no_person, missing_key,
 * corrupt, invalid_value or missing_file, with a one-line detail. Never throws
 * for bad data; one bad frame must never stop a batch.
 */
import { readFileSync } from 'node:fs';
import { openNpzBuffer, type NpzFile } from '../npz/read-npz.js';
import { FrameDataError } from '../errors.js';
import type { FrameCheck, PersonParams } from '../types.js';

export type PersonSelector = number | 'all';

export interface FrameReading {
  check: FrameCheck;
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

export function readFrameFile(path: string, selector: PersonSelector): FrameReading {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return fail('missing_file', 'file disappeared before it was read');
    return fail('corrupt', `unreadable file (${code ?? (err as Error).message})`);
  }
  return classifyNpz(buf, selector);
}

export function classifyNpz(buf: Buffer, selector: PersonSelector): FrameReading {
  try {
    const npz = openNpzBuffer(buf);
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
    if (err instanceof FrameDataError) return fail(err.reason, err.message);
    return fail('corrupt', (err as Error).message);
  }
}

/** person_ids length; without person_ids, the person_{i}_* keys present. */
function personCount(npz: NpzFile): number {
  if (npz.has('person_ids')) {
    const ids = npz.get('person_ids');
    return Array.isArray(ids.data) ? 0 : ids.data.length;
  }
  let n = 0;
  while (npz.has(`person_${n}_cam_trans`) || npz.has(`person_${n}_smplx_root_pose`)) n++;
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
  if (p.camTrans![2] <= 0) {
    throw new FrameDataError('invalid_value', `person_${i}_cam_trans z is ${p.camTrans![2]}, must be in front of the camera (> 0)`);
  }
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
const fail = (check: FrameCheck, detail: string, detected = 0): FrameReading => ({ check, detail, persons: [], detected });

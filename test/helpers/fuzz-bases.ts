/**
 * Valid frame files the fuzz test mutates: written by the project's own
 * writer (the demo sequence generator, stored and deflated) and by numpy
 * itself (np.savez, np.savez_compressed), so the mutations start from both
 * the files we write and the files users bring.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { buildZip } from '../../src/npz/write-npz.js';
import { ZipArchive } from '../../src/npz/zip-archive.js';
import { pythonWithNumpy } from './python.js';
import type { Base } from './fuzz-mutate.js';

/** One OSX-format frame per numpy writer, with a Fortran-order and a big-endian array among them. */
const NUMPY_FRAMES = String.raw`
import sys, numpy as np
out = sys.argv[1]
rng = np.random.default_rng(7)
def person(i, dt):
    return {
        f'person_{i}_smplx_root_pose': np.array([np.pi, 0, 0], dt),
        f'person_{i}_smplx_body_pose': (rng.standard_normal(63) * 0.2).astype(dt),
        f'person_{i}_smplx_lhand_pose': (rng.standard_normal(45) * 0.1).astype(dt),
        f'person_{i}_smplx_rhand_pose': (rng.standard_normal(45) * 0.1).astype(dt),
        f'person_{i}_smplx_jaw_pose': np.zeros(3, dt),
        f'person_{i}_smplx_shape': (rng.standard_normal(10) * 0.5).astype(dt),
        f'person_{i}_smplx_expr': np.zeros(10, dt),
        f'person_{i}_cam_trans': np.array([0.1 * i, 0.2, 6.0], dt),
        f'person_{i}_focal': np.array([5000, 5000], dt),
        f'person_{i}_princpt': np.array([640, 360], dt),
        f'person_{i}_bbox_xywh': np.array([400, 100, 300, 600], dt),
    }
common = {'image_path': np.array('/data/video1/frame_0001.jpg'), 'image_size': np.array([720, 1280]),
          'cfg_output_hm_shape': np.array([16, 16, 12]), 'cfg_input_img_shape': np.array([512, 384])}
np.savez(f'{out}/numpy_savez.npz', person_ids=np.array([0]), **common, **person(0, np.float32))
two = {**person(0, np.float32), **person(1, np.float32)}
two['person_0_smplx_body_pose'] = np.asfortranarray(two['person_0_smplx_body_pose'].reshape(21, 3))
np.savez_compressed(f'{out}/numpy_savez_compressed.npz', person_ids=np.array([0, 1]), **common, **two)
np.savez(f'{out}/numpy_bigendian.npz', person_ids=np.array([0]), **common, **person(0, np.dtype('>f8')))
`;

/** The entries of a valid zip, to rebuild it after an .npy edit. */
function entriesOf(bytes: Buffer): Array<[string, Buffer]> {
  const zip = new ZipArchive(bytes, bytes.length * 10);
  return [...zip.entries.keys()].map((name) => [name, zip.read(name)]);
}

const baseOf = (name: string, bytes: Buffer): Base => ({ name, bytes, entries: entriesOf(bytes) });

/** numpy-written frames; throws (fails the test) when python3 with numpy is missing. */
export function numpyBases(dir: string): Base[] {
  if (!pythonWithNumpy) throw new Error('python3 with numpy is required for the fuzz test (Debian: apt-get install python3-numpy)');
  mkdirSync(dir, { recursive: true });
  execFileSync(pythonWithNumpy, ['-c', NUMPY_FRAMES, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const names = readdirSync(dir).filter((n) => n.startsWith('numpy_')).sort();
  if (names.length !== 3) throw new Error(`numpy wrote ${names.length} frame files, expected 3`);
  return names.map((n) => baseOf(n, readFileSync(join(dir, n))));
}

/** Frames from our writer (mixed layouts, two people, big-endian), plus one re-zipped deflated. */
export async function writerBases(dir: string): Promise<Base[]> {
  await writeDemoSequence(dir, { frames: 4, seed: 11, shapes: 'mixed', twoPersonRate: 0.5, bigEndianRate: 0.5 });
  const names = readdirSync(dir).filter((n) => n.endsWith('.npz')).sort();
  const bases = names.map((n) => baseOf(n, readFileSync(join(dir, n))));
  const deflated = buildZip(bases[0].entries, { compress: true });
  return [...bases, baseOf(`deflated_${bases[0].name}`, deflated)];
}

/**
 * Our forward pass against reference_smplx.py, a float64 numpy transcription
 * of smplx's lbs. Fails where python3 with numpy is not installed (CI installs it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { loadBodyModel } from '../../src/body-model/load-body-model.js';
import { forwardBody } from '../../src/body-model/forward-body.js';
import { demoBodyPath } from '../../src/body-model/demo-body/demo-body-path.js';
import { openNpz } from '../../src/npz/read-npz.js';
import { writeNpz } from '../../src/npz/write-npz.js';
import type { PersonParams } from '../../src/types.js';
import { repoRoot } from '../helpers/paths.js';
import { maxAbsDiff, numpyModel, randomParams, tmp } from './fixtures.js';
import { runNumpy } from '../helpers/python.js';

const script = resolve(repoRoot, 'test', 'body-model', 'reference_smplx.py');

function reference(modelPath: string, p: PersonParams, flatHandMean: boolean): { vertices: Float64Array; joints: Float64Array } {
  const dir = tmp();
  const params = join(dir, 'params.npz');
  const out = join(dir, 'out.npz');
  const f8 = (a: Float64Array) => ({ dtype: 'f8' as const, shape: [a.length], data: a });
  writeNpz(params, {
    root_pose: f8(p.rootPose), body_pose: f8(p.bodyPose), lhand_pose: f8(p.lhandPose), rhand_pose: f8(p.rhandPose),
    jaw_pose: f8(p.jawPose), betas: f8(p.betas), expr: f8(p.expr), cam_trans: f8(p.camTrans),
  });
  runNumpy([script, modelPath, params, out, ...(flatHandMean ? ['--flat-hand-mean'] : [])]);
  const npz = openNpz(out);
  return { vertices: npz.get('vertices').data as Float64Array, joints: npz.get('joints').data as Float64Array };
}

for (const [what, modelPath] of [['demo body', demoBodyPath], ['numpy-written model', () => numpyModel()]] as const) {
  test(`matches the numpy smplx reference within 1e-5 m (${what}, random poses)`, () => {
    const path = modelPath();
    const model = loadBodyModel(path);
    for (const [seed, flatHandMean] of [[11, false], [12, true], [13, false]] as const) {
      const p = randomParams(seed);
      if (seed === 13) { p.betas = p.betas.subarray(0, 4); p.expr = new Float64Array(0); }
      const ours = forwardBody(model, p, { flatHandMean });
      const ref = reference(path, p, flatHandMean);
      const dv = maxAbsDiff(ours.vertices, ref.vertices);
      const dj = maxAbsDiff(ours.joints, ref.joints);
      assert.ok(dv < 1e-5, `seed ${seed}: max vertex difference ${dv} m`);
      assert.ok(dj < 1e-6, `seed ${seed}: max joint difference ${dj} m`);
    }
  });
}

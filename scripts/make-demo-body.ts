/**
 * Writes the procedural demo body as an SMPLX-layout .npz, and with --bench
 * times forwardBody on it (median of 50 calls, SIMD kernel and plain JS).
 *
 *   node dist/scripts/make-demo-body.js OUT.npz [--vertices 10475] [--bench]
 */
import { resolve } from 'node:path';
import { writeDemoBody } from '../src/body-model/demo-body/write-demo-body.js';
import { loadBodyModel } from '../src/body-model/load-body-model.js';
import { forwardBody } from '../src/body-model/forward-body.js';
import type { BodyModel } from '../src/body-model/body-model.js';
import type { PersonParams } from '../src/types.js';

function main(argv: string[]): void {
  let out: string | null = null;
  let vertices: number | undefined;
  let bench = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vertices') vertices = Number(argv[++i]);
    else if (argv[i] === '--bench') bench = true;
    else if (!argv[i].startsWith('--') && out === null) out = resolve(argv[i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (out === null) throw new Error('usage: make-demo-body OUT.npz [--vertices N] [--bench]');
  writeDemoBody(out, { targetVertices: vertices });
  const model = loadBodyModel(out);
  process.stdout.write(`${out}: ${model.numVertices} vertices, ${model.numFaces} faces\n`);
  if (!bench) return;
  const kernels: Array<[string, BodyModel]> = [['js', { ...model, poseKernel: null }]];
  if (model.poseKernel) kernels.unshift(['wasm-simd', model]);
  for (const [name, m] of kernels) process.stdout.write(`forwardBody (${name}): median ${medianMs(m).toFixed(2)} ms\n`);
}

function medianMs(model: BodyModel): number {
  const wave = (n: number, s: number, k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * s);
  const p: PersonParams = {
    personId: 0, rootPose: Float64Array.of(Math.PI, 0, 0), bodyPose: wave(63, 0.3, 1), lhandPose: wave(45, 0.3, 2),
    rhandPose: wave(45, 0.3, 3), jawPose: wave(3, 0.1, 4), betas: wave(10, 1, 5), expr: wave(10, 1, 6), camTrans: Float64Array.of(0, 0.2, 5),
  };
  const out = new Float32Array(model.numVertices * 3);
  for (let i = 0; i < 20; i++) forwardBody(model, p, { flatHandMean: false }, out);
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    forwardBody(model, p, { flatHandMean: false }, out);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[25];
}

main(process.argv.slice(2));

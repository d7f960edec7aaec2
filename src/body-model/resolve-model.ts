/**
 * Which body-model file a run uses: `--model_path FILE`, `--model_path DIR`
 * (SMPLX_<GENDER>.npz inside), or the built-in demo body generated on first use.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { configError } from '../errors.js';
import { assertRegularFile } from '../npz/open-regular-file.js';

export interface ResolvedModel {
  path: string;
  /** 'demo' for the built-in procedural body. */
  kind: 'file' | 'demo';
}

export async function resolveModel(modelPath: string | null, gender: string): Promise<ResolvedModel> {
  if (modelPath === null) {
    const { demoBodyPath } = await import('./demo-body/demo-body-path.js');
    return { path: await demoBodyPath(), kind: 'demo' };
  }
  if (!existsSync(modelPath)) throw configError(`--model_path ${modelPath}: no such file or directory`);
  if (statSync(modelPath).isDirectory()) {
    const want = `SMPLX_${gender.toUpperCase()}.npz`;
    const names = readdirSync(modelPath);
    const hit = names.find((n) => n === want) ?? names.find((n) => n.toLowerCase() === want.toLowerCase());
    if (hit) { assertRegularFile(join(modelPath, hit), '--model_path'); return { path: join(modelPath, hit), kind: 'file' }; }
    const pkl = names.find((n) => n.toLowerCase() === want.toLowerCase().replace('.npz', '.pkl'));
    if (pkl) throw configError(`--model_path ${modelPath}: found ${pkl} but only .npz model files are read (pickles are never loaded); use the SMPL-X .npz release`);
    throw configError(`--model_path ${modelPath}: no ${want} in this folder`);
  }
  // A FIFO or device would block or never end when read: only a regular file, opened without blocking.
  assertRegularFile(modelPath, '--model_path');
  if (/\.pkl$/i.test(modelPath)) throw configError(`--model_path ${modelPath}: .pkl model files are not read (pickles are never loaded); use the SMPL-X .npz release`);
  return { path: modelPath, kind: 'file' };
}

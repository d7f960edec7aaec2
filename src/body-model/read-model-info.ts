/** Vertex and face counts of a model file without loading it (dry runs, runs with nothing to draw). */
import { openNpzLazy } from '../npz/read-npz.js';
import { configError } from '../errors.js';

export function readModelInfo(path: string): { model_vertices: number; model_faces: number } {
  try {
    const npz = openNpzLazy(path);
    try {
      return { model_vertices: npz.get('v_template').shape[0], model_faces: npz.get('f').shape[0] };
    } finally {
      npz.close();
    }
  } catch (err) {
    throw configError(`--model_path ${path}: unreadable body model (${(err as Error).message})`, err);
  }
}

/**
 * Vertex and face counts of a model file for runs that draw nothing (dry
 * runs, nothing to render). The file is checked exactly as a render loads it,
 * so a dry run that passes predicts a render whose model loads.
 */
import { loadBodyModel } from './load-body-model.js';

export function readModelInfo(path: string): { model_vertices: number; model_faces: number } {
  // No shape or expression components are kept; every array is still read and checked.
  const m = loadBodyModel(path, { maxShapeDirs: 0, maxExprDirs: 0 });
  return { model_vertices: m.numVertices, model_faces: m.numFaces };
}

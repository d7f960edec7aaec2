/** Vertex positions of an OBJ file, parsed here (not with the exporter's code). */
import { readFileSync } from 'node:fs';

export function objVertices(path: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.startsWith('v ')) continue;
    const xyz = line.trim().split(/\s+/).slice(1).map(Number);
    if (xyz.length !== 3 || xyz.some((x) => !Number.isFinite(x))) throw new Error(`${path}: bad vertex line ${JSON.stringify(line)}`);
    out.push(...xyz);
  }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

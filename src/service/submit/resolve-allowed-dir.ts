/**
 * An `npz_dir` sent by a client must lie under a root the server was started
 * with (--allow_dir). Checked twice: lexically (no `..` escape) and after
 * resolving symlinks (realpath), so a link inside a root pointing outside is refused.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { configError, usageError } from '../../errors.js';
import { ServiceError } from '../service-errors.js';

const inside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
};

export function resolveAllowedDir(requested: unknown, roots: readonly string[]): string {
  if (typeof requested !== 'string' || requested === '') throw usageError('npz_dir must be a folder path (a string)');
  if (roots.length === 0) throw new ServiceError('FORBIDDEN', 'this server accepts no npz_dir: it was started without --allow_dir');
  if (!isAbsolute(requested)) throw usageError(`npz_dir ${requested}: must be an absolute path under ${roots.join(' or ')}`);
  const lexical = resolve(requested);
  const realRoots = roots.map((r) => realpathSync(r));
  if (!roots.some((r, i) => inside(resolve(r), lexical) || inside(realRoots[i], lexical))) {
    throw new ServiceError('FORBIDDEN', `npz_dir ${requested}: outside the allowed folders (${roots.join(', ')})`);
  }
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw configError(`--npz_dir ${requested}: no such directory`);
    throw configError(`--npz_dir ${requested}: ${(err as Error).message}`);
  }
  if (!realRoots.some((r) => inside(r, real))) {
    throw new ServiceError('FORBIDDEN', `npz_dir ${requested}: resolves through a symlink to ${real}, outside the allowed folders`);
  }
  if (!statSync(real).isDirectory()) throw configError(`--npz_dir ${requested}: not a directory`);
  return real;
}

/**
 * Opens an input file only when it is a regular file, in a way that never
 * blocks: a FIFO opened for reading waits for a writer forever (Ctrl-C
 * ignored), /dev/zero never ends, a directory or socket is no data file.
 * stat (which follows symlinks) first, then open with O_NONBLOCK, then fstat
 * the descriptor, so a file swapped for a FIFO between the two is caught too.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, statSync, type Stats } from 'node:fs';
import { configError, FrameDataError } from '../errors.js';

export interface RegularFile {
  fd: number;
  size: number;
}

/** What a file system object is, in words for a one-line message. */
export function fileKind(st: Stats): string {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'unknown file type';
}

const notRegular = (st: Stats) => new FrameDataError('corrupt', `not a regular file: ${fileKind(st)}`);

/** stat through symlinks; a link to nothing is a bad file, not a missing one. */
function statFollowing(path: string): Stats {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
      throw new FrameDataError('corrupt', 'broken symbolic link');
    }
    throw err;
  }
}

/**
 * The caller must closeSync(fd). Throws FrameDataError('corrupt', 'not a
 * regular file: fifo') for anything but a regular file; system errors
 * (ENOENT, EACCES, ELOOP) pass through with their code.
 */
export function openRegularFile(path: string): RegularFile {
  const before = statFollowing(path);
  if (!before.isFile()) throw notRegular(before);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(st);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * For a file named on the command line (--model_path): a configError (exit 2)
 * of one line naming the flag, the file and the problem, unless it is a
 * readable regular file.
 */
export function assertRegularFile(path: string, what: string): void {
  let file: RegularFile;
  try {
    file = openRegularFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = err instanceof FrameDataError ? err.message
      : code === 'ENOENT' ? 'no such file'
      : code === 'EACCES' ? 'permission denied'
      : code === 'ELOOP' ? 'too many levels of symbolic links'
      : `cannot be opened (${code ?? (err as Error).message})`;
    throw configError(`${what} ${path}: ${why}`, err);
  }
  closeSync(file.fd);
}

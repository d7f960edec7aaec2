/**
 * A fingerprint of one input file for resume: size, mtime and a content
 * hash. Files up to 16 MB are hashed whole (frame files are kilobytes);
 * beyond that the first and last MB, so a huge hostile file costs little.
 * Only regular files get one, opened without blocking.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

const WHOLE_LIMIT = 16 << 20;
const SAMPLE = 1 << 20;

export function fileFingerprint(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const h = createHash('sha1');
    const read = (pos: number, len: number) => {
      const buf = Buffer.allocUnsafe(len);
      const n = readSync(fd, buf, 0, len, pos);
      h.update(buf.subarray(0, n));
    };
    if (st.size <= WHOLE_LIMIT) read(0, st.size);
    else { read(0, SAMPLE); read(st.size - SAMPLE, SAMPLE); }
    return `${st.size}-${Math.round(st.mtimeMs)}-${h.digest('hex').slice(0, 16)}`;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Unix file modes of a zip's entries, from the central directory's "external
 * attributes" (high 16 bits when made on Unix). The NPZ reader
 * (src/npz/zip-archive.ts) does not need them; uploads do, to refuse symlinks.
 * Zip64 archives: modes of entries past the 32-bit fields are not read (none are links we would write: only .npz files are extracted, as plain files).
 */
import type { ByteSource } from '../../npz/zip-archive.js';

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;

export function zipEntryModes(src: ByteSource): Map<string, number> {
  const modes = new Map<string, number>();
  const tailStart = Math.max(0, src.length - 22 - 65535);
  const tail = src.read(tailStart, src.length - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD_SIG) { at = i; break; }
  if (at < 0) return modes;
  const count = tail.readUInt16LE(at + 10);
  const size = tail.readUInt32LE(at + 12);
  const offset = tail.readUInt32LE(at + 16);
  if (offset === 0xffffffff || offset + size > src.length) return modes;
  const cd = src.read(offset, size);
  for (let p = 0, n = 0; n < count && p + 46 <= cd.length && cd.readUInt32LE(p) === CEN_SIG; n++) {
    const madeOnUnix = cd[p + 5] === 3;
    const nameLen = cd.readUInt16LE(p + 28);
    const extra = cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    if (madeOnUnix) modes.set(name, cd.readUInt32LE(p + 38) >>> 16);
    p += 46 + nameLen + extra;
  }
  return modes;
}

export const isSymlinkMode = (mode: number) => (mode & 0o170000) === 0o120000;

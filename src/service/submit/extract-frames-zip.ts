/**
 * Unpacks an uploaded zip of frame files into the job's folder, refusing what
 * could write elsewhere or exhaust the disk: absolute or `..` names, symlink
 * entries, too many entries, too many bytes once inflated (a zip bomb; sizes
 * are checked from the central directory before anything is inflated, and
 * inflation is capped at the declared size). Only `.npz` files are written,
 * flat, as new plain files.
 */
import { closeSync, mkdirSync, openSync, fstatSync, writeFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { ZipArchive, fdSource } from '../../npz/zip-archive.js';
import { FrameDataError } from '../../errors.js';
import { badUpload } from '../service-errors.js';
import { isSymlinkMode, zipEntryModes } from './zip-entry-modes.js';

export interface ZipLimits { maxEntries: number; maxTotalBytes: number; maxEntryBytes: number }

/** Why an entry name is unsafe, or null (pure). */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'a NUL byte in the name';
  if (name.includes('\\')) return 'a backslash in the name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').some((s) => s === '..')) return 'a ".." path component';
  return null;
}

export function extractFramesZip(zipPath: string, destDir: string, limits: ZipLimits, label: string): number {
  const fd = openSync(zipPath, 'r');
  try {
    const src = fdSource(fd, fstatSync(fd).size);
    let zip: ZipArchive;
    try {
      zip = new ZipArchive(src, limits.maxEntryBytes);
    } catch (err) {
      throw badUpload(`${label}: not a readable zip archive (${(err as Error).message})`);
    }
    const entries = [...zip.entries.values()];
    if (entries.length > limits.maxEntries) throw badUpload(`${label}: ${entries.length} entries, over the limit of ${limits.maxEntries}`);
    const modes = zipEntryModes(src);
    let total = 0;
    const frames: string[] = [];
    for (const e of entries) {
      const why = unsafeEntryName(e.name);
      if (why) throw badUpload(`${label}: entry "${e.name}" refused: ${why}`);
      if (isSymlinkMode(modes.get(e.name) ?? 0)) throw badUpload(`${label}: entry "${e.name}" refused: a symbolic link`);
      total += e.size;
      if (e.size > limits.maxEntryBytes) throw badUpload(`${label}: entry "${e.name}" inflates to ${e.size} bytes, over the ${limits.maxEntryBytes}-byte limit per file`);
      if (total > limits.maxTotalBytes) throw badUpload(`${label}: inflates to more than ${limits.maxTotalBytes} bytes, over the limit`);
      if (!e.name.endsWith('/') && /\.npz$/i.test(e.name) && !posix.basename(e.name).startsWith('._')) frames.push(e.name);
    }
    if (frames.length === 0) throw badUpload(`${label}: holds no .npz frame files`);
    const folders = [...new Set(frames.map((n) => posix.dirname(n)))];
    if (folders.length > 1) throw badUpload(`${label}: frame files in several folders (${folders.slice(0, 3).join(', ')}): send one sequence per job`);
    mkdirSync(destDir, { recursive: true });
    for (const name of frames) {
      let data: Buffer;
      try {
        data = zip.read(name);
      } catch (err) {
        if (err instanceof FrameDataError) throw badUpload(`${label}: entry "${name}": ${err.message}`);
        throw err;
      }
      // 'wx': a new file, never through an existing name or link.
      writeFileSync(join(destDir, basename(name)), data, { flag: 'wx' });
    }
    return frames.length;
  } finally {
    closeSync(fd);
  }
}

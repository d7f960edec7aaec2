/**
 * Reads an NPZ (zip of .npy) with lazy per-key parsing: keys are listed from
 * the central directory, arrays are parsed only when asked for. Entries that
 * are not needed (pickled `joint2num` in real model files, say) are never parsed.
 */
import { readFileSync, openSync, closeSync, fstatSync } from 'node:fs';
import { ZipArchive, fdSource, type ByteSource } from './zip-archive.js';
import { parseNpy, type NpyArray } from './parse-npy.js';
import { FrameDataError } from '../errors.js';

export interface NpzFile {
  /** Array names, without the `.npy` suffix. */
  readonly keys: ReadonlySet<string>;
  has(key: string): boolean;
  /** Parses one array; throws FrameDataError('corrupt') on a bad entry. */
  get(key: string): NpyArray;
}

/** 64 MiB per array is far above any per-frame parameter array. */
export const FRAME_ENTRY_LIMIT = 64 * 1024 * 1024;
/** Body-model arrays (posedirs of SMPL-X is ~61 MB as float32, 122 MB as float64). */
export const MODEL_ENTRY_LIMIT = 1024 * 1024 * 1024;

export function openNpzBuffer(buf: Buffer | ByteSource, maxEntryBytes = FRAME_ENTRY_LIMIT): NpzFile {
  const zip = new ZipArchive(buf, maxEntryBytes);
  const names = new Map<string, string>();
  for (const name of zip.entries.keys()) {
    if (name.endsWith('/')) continue;
    names.set(name.endsWith('.npy') ? name.slice(0, -4) : name, name);
  }
  const keys = new Set(names.keys());
  return {
    keys,
    has: (k) => keys.has(k),
    get(k) {
      const name = names.get(k);
      if (name === undefined) throw new FrameDataError('missing_key', `missing key ${k}`);
      try {
        return parseNpy(zip.read(name));
      } catch (err) {
        if (err instanceof FrameDataError) throw new FrameDataError(err.reason, `${k}: ${err.message}`);
        throw err;
      }
    },
  };
}

/** Small files (frames) are read whole: one read is fastest. */
export function openNpz(path: string, maxEntryBytes = FRAME_ENTRY_LIMIT): NpzFile {
  return openNpzBuffer(readFileSync(path), maxEntryBytes);
}

/**
 * Large files (body models): only the central directory and the entries asked
 * for are read, so memory holds one array at a time, never the whole file.
 * The caller must close() it.
 */
export function openNpzLazy(path: string, maxEntryBytes = MODEL_ENTRY_LIMIT): NpzFile & { close(): void } {
  const fd = openSync(path, 'r');
  try {
    const npz = openNpzBuffer(fdSource(fd, fstatSync(fd).size), maxEntryBytes);
    return Object.assign(npz, { close: () => closeSync(fd) });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Reads an NPZ (zip of .npy) with lazy per-key parsing: keys are listed from
 * the central directory, arrays are parsed only when asked for. Entries that
 * are not needed (pickled `joint2num` in real model files, say) are never parsed.
 */
import { readFileSync, openSync, closeSync, fstatSync } from 'node:fs';
import { ZipArchive, fdSource, type ByteSource } from './zip-archive.js';
import { parseNpy, parseNpyHeader, decodeNumericChunk, type NpyArray, type NumericArray } from './parse-npy.js';
import { crc32 } from 'node:zlib';
import { FrameDataError } from '../errors.js';

export interface NpzFile {
  /** Array names, without the `.npy` suffix. */
  readonly keys: ReadonlySet<string>;
  has(key: string): boolean;
  /** Parses one array; throws FrameDataError('corrupt') on a bad entry. */
  get(key: string): NpyArray;
  /**
   * Reads a numeric C-order array in pieces of about `chunkBytes`, each a
   * whole number of `rowElements`, so a large array never sits whole in
   * memory. `onChunk(data, firstElement)`. Compressed or Fortran-ordered
   * entries are read whole and handed over in one piece. The CRC is checked
   * when the last piece has been read.
   */
  forEachChunk(key: string, rowElements: number, chunkBytes: number,
    /** May return the row length in elements, once the shape is known. */
    onHeader: (dtype: string, shape: number[]) => number | void,
    onChunk: (data: NumericArray, firstElement: number) => void): void;
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
  const entryName = (k: string) => {
    const name = names.get(k);
    if (name === undefined) throw new FrameDataError('missing_key', `missing key ${k}`);
    return name;
  };
  const named = <T>(k: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof FrameDataError) throw new FrameDataError(err.reason, `${k}: ${err.message}`);
      throw err;
    }
  };
  const get = (k: string) => named(k, () => parseNpy(zip.read(entryName(k))));
  return {
    keys,
    has: (k) => keys.has(k),
    get,
    forEachChunk(k, rowElements, chunkBytes, onHeader, onChunk) {
      named(k, () => {
        const name = entryName(k);
        const range = zip.storedRange(name);
        const head = range ? zip.readBytes(range.start, Math.min(range.size, 4096)) : null;
        const header = head ? parseNpyHeader(head) : null;
        if (!range || !header || header.fortranOrder) {
          const arr = get(k);
          if (Array.isArray(arr.data)) throw new FrameDataError('corrupt', 'holds strings, expected numbers');
          onHeader(arr.dtype, arr.shape);
          onChunk(arr.data as NumericArray, 0);
          return;
        }
        const width = Number(/\d+$/.exec(header.descr)?.[0] ?? 0);
        const count = header.shape.reduce((a, b) => a * b, 1);
        if (!(width > 0) || header.dataOffset + count * width > range.size) throw new FrameDataError('corrupt', `array declares shape (${header.shape.join(',')}) but the data is truncated`);
        const row = onHeader(header.descr.replace(/^[<>|=]/, ''), header.shape) ?? rowElements;
        let crc = crc32(zip.readBytes(range.start, header.dataOffset));
        const rowBytes = Math.max(1, row) * width;
        const step = Math.max(1, Math.floor(chunkBytes / rowBytes)) * rowBytes;
        const total = count * width;
        for (let off = 0; off < total; off += step) {
          const bytes = zip.readBytes(range.start + header.dataOffset + off, Math.min(step, total - off));
          crc = crc32(bytes, crc);
          onChunk(decodeNumericChunk(header.descr, bytes), off / width);
        }
        const tail = range.size - header.dataOffset - total;
        if (tail > 0) crc = crc32(zip.readBytes(range.start + header.dataOffset + total, tail), crc);
        if ((crc >>> 0) !== range.crc) throw new FrameDataError('corrupt', 'fails its CRC check');
      });
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

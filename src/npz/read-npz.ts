/**
 * Reads an NPZ (zip of .npy) with lazy per-key parsing: keys are listed from
 * the central directory, arrays are parsed only when asked for. Entries that
 * are not needed (pickled `joint2num` in real model files, say) are never parsed.
 *
 * Every array's header is read first (a bounded prefix of its entry) and its
 * shape checked against the entry's size before the data is read, so what a
 * file declares never decides how much is allocated.
 */
import { closeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { ZipArchive, checkZipSignature, fdSource, type ByteSource } from './zip-archive.js';
import {
  decodeNpy, parseNpyHeader, npyHeaderBytes, checkNpyLayout, decodeNumericChunk,
  type NpyArray, type NpyLayout, type NumericArray,
} from './parse-npy.js';
import { openRegularFile } from './open-regular-file.js';
import { FrameDataError } from '../errors.js';

export interface NpzFile {
  /** Array names, without the `.npy` suffix. */
  readonly keys: ReadonlySet<string>;
  has(key: string): boolean;
  /**
   * What an array declares (dtype, shape, element count), from its header
   * alone, checked against its entry's size: lets a caller refuse an array
   * by its shape before its data is read.
   */
  header(key: string): NpyLayout;
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

/** 16 MiB per array is far above any per-frame parameter array, and keeps a frame's worst case near 64 MB with copies. */
export const FRAME_ENTRY_LIMIT = 16 * 1024 * 1024;
/** Body-model arrays (posedirs of SMPL-X is ~61 MB as float32, 122 MB as float64). */
export const MODEL_ENTRY_LIMIT = 1024 * 1024 * 1024;
/** Frame files up to this size are read in one go (fastest); larger ones by ranges. */
const WHOLE_READ_BYTES = 4 * 1024 * 1024;
/** An .npy header is ~128 bytes: one read of this much almost always holds it. */
const HEADER_PEEK = 4096;
/** Bytes after the data that some writers add as alignment padding; more means a lying shape or size. */
const MAX_PADDING = 4096;

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
  const headers = new Map<string, NpyLayout>();
  const layoutOf = (name: string): NpyLayout => {
    const cached = headers.get(name);
    if (cached) return cached;
    let head = zip.readPrefix(name, HEADER_PEEK);
    const need = npyHeaderBytes(head);
    if (need > head.length) head = zip.readPrefix(name, need);
    const { size } = zip.entry(name);
    const h = parseNpyHeader(head);
    const layout = checkNpyLayout(h, size - h.dataOffset);
    if (size - h.dataOffset > layout.dataBytes + MAX_PADDING) {
      throw new FrameDataError('corrupt', `entry holds ${size - h.dataOffset} data bytes, its shape (${h.shape.join(',')}) of ${h.descr} needs ${layout.dataBytes}`);
    }
    headers.set(name, layout);
    return layout;
  };
  const header = (k: string) => named(k, () => layoutOf(entryName(k)));
  const get = (k: string) => named(k, () => {
    const name = entryName(k);
    return decodeNpy(layoutOf(name), zip.read(name));
  });
  return {
    keys,
    has: (k) => keys.has(k),
    header,
    get,
    forEachChunk(k, rowElements, chunkBytes, onHeader, onChunk) {
      named(k, () => {
        const name = entryName(k);
        const header = layoutOf(name);
        const range = zip.storedRange(name);
        if (!range || header.fortranOrder) {
          const arr = get(k);
          if (Array.isArray(arr.data)) throw new FrameDataError('corrupt', 'holds strings, expected numbers');
          onHeader(arr.dtype, arr.shape);
          onChunk(arr.data as NumericArray, 0);
          return;
        }
        const width = header.itemSize;
        const count = header.count;
        if (!(width > 0) || 'US'.includes(header.dtype[0])) throw new FrameDataError('corrupt', `holds ${header.descr}, expected numbers`);
        const row = onHeader(header.dtype, header.shape) ?? rowElements;
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

/**
 * Opens an NPZ file: regular files only (a FIFO or device is refused without
 * blocking), the zip signature checked from the first four bytes, then small
 * files read in one go, large ones by the ranges asked for, so a multi-GB
 * file costs its signature and its last 64 KiB. The caller must
 * close() it; throws FrameDataError for bad data, system errors (ENOENT) as they are.
 */
export function openNpzFile(path: string, maxEntryBytes = FRAME_ENTRY_LIMIT, wholeReadBytes = WHOLE_READ_BYTES): NpzFile & { close(): void } {
  const { fd, size } = openRegularFile(path);
  const src = fdSource(fd, size);
  let whole: Buffer | null = null;
  try {
    checkZipSignature(src.read(0, 4), size);
    if (size <= wholeReadBytes) whole = src.read(0, size);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (whole) {
    closeSync(fd);
    return Object.assign(openNpzBuffer(whole, maxEntryBytes), { close: () => {} });
  }
  try {
    return Object.assign(openNpzBuffer(src, maxEntryBytes), { close: () => closeSync(fd) });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Small files (frames, test outputs): read whole, nothing to close. */
export function openNpz(path: string, maxEntryBytes = FRAME_ENTRY_LIMIT): NpzFile {
  return openNpzFile(path, maxEntryBytes, Infinity);
}

/**
 * Large files (body models): only the central directory and the entries asked
 * for are read, so memory holds one array at a time, never the whole file.
 * The caller must close() it.
 */
export function openNpzLazy(path: string, maxEntryBytes = MODEL_ENTRY_LIMIT): NpzFile & { close(): void } {
  return openNpzFile(path, maxEntryBytes, 0);
}

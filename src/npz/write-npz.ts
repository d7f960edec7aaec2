/**
 * Writes NPZ files the way numpy's `np.savez` does (stored zip of .npy v1.0;
 * deflated like `np.savez_compressed` on request),
 * used for the demo body, demo sequences, pose-extraction output and test
 * fixtures. Files are written to a temporary name and renamed, so a reader
 * never sees half a file.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { writeFileAtomic } from '../output/write-atomic.js';

export type NpyDtype = 'f4' | 'f8' | 'i4' | 'i8' | 'u4' | 'u1' | 'U';

export interface NpyInput {
  dtype: NpyDtype;
  shape: number[];
  /** Numbers in C order, or strings for dtype 'U'. */
  data: ArrayLike<number> | string[];
  /** Store big-endian ('>f8'); numpy reads both. */
  bigEndian?: boolean;
}

export function encodeNpy(a: NpyInput): Buffer {
  const count = a.shape.reduce((x, y) => x * y, 1);
  if (a.data.length !== count) throw new Error(`encodeNpy: ${a.data.length} values for shape (${a.shape.join(',')})`);
  let body: Buffer;
  let descr: string;
  if (a.dtype === 'U') {
    const strs = a.data as string[];
    const width = Math.max(1, ...strs.map((s) => [...s].length));
    body = Buffer.alloc(count * width * 4);
    strs.forEach((s, i) => [...s].forEach((ch, c) => body.writeUInt32LE(ch.codePointAt(0)!, (i * width + c) * 4)));
    descr = `<U${width}`;
  } else {
    const size = { f4: 4, f8: 8, i4: 4, i8: 8, u4: 4, u1: 1 }[a.dtype];
    body = Buffer.alloc(count * size);
    const be = !!a.bigEndian;
    const nums = a.data as ArrayLike<number>;
    for (let i = 0; i < count; i++) {
      const v = nums[i];
      const o = i * size;
      switch (a.dtype) {
        case 'f4': be ? body.writeFloatBE(v, o) : body.writeFloatLE(v, o); break;
        case 'f8': be ? body.writeDoubleBE(v, o) : body.writeDoubleLE(v, o); break;
        case 'i4': be ? body.writeInt32BE(v, o) : body.writeInt32LE(v, o); break;
        case 'u4': be ? body.writeUInt32BE(v, o) : body.writeUInt32LE(v, o); break;
        case 'i8': be ? body.writeBigInt64BE(BigInt(v), o) : body.writeBigInt64LE(BigInt(v), o); break;
        case 'u1': body[o] = v; break;
      }
    }
    descr = `${a.dtype === 'u1' ? '|' : be ? '>' : '<'}${a.dtype}`;
  }
  const shapeStr = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  return npyWithHeader(`{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`, body);
}

/** Wraps a header dict literal and body into .npy v1.0 bytes (header padded to 64). */
export function npyWithHeader(dict: string, body: Buffer): Buffer {
  let header = dict;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

export interface ZipOptions {
  /** Deflate every entry, as `np.savez_compressed` does; default stored, as `np.savez`. */
  compress?: boolean;
}

/** Builds a zip from named raw entries: stored (uncompressed) unless `compress`. */
export function buildZip(entries: Array<[string, Buffer]>, opts: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const method = opts.compress ? 8 : 0;
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const stored = opts.compress ? deflateRawSync(data) : data;
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(0, 6);
    loc.writeUInt16LE(method, 8);
    loc.writeUInt32LE(0x00210000, 10); // fixed DOS time/date: output is byte-reproducible
    loc.writeUInt32LE(crc, 14);
    loc.writeUInt32LE(stored.length, 18);
    loc.writeUInt32LE(data.length, 22);
    loc.writeUInt16LE(nameBuf.length, 26);
    loc.writeUInt16LE(0, 28);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0, 8);
    cen.writeUInt16LE(method, 10);
    cen.writeUInt32LE(0x00210000, 12);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(stored.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(nameBuf.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(loc, nameBuf, stored);
    centrals.push(cen, nameBuf);
    offset += 30 + nameBuf.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function encodeNpz(arrays: Record<string, NpyInput>, opts: ZipOptions = {}): Buffer {
  return buildZip(Object.entries(arrays).map(([k, v]) => [`${k}.npy`, encodeNpy(v)]), opts);
}

export function writeNpz(path: string, arrays: Record<string, NpyInput>, opts: ZipOptions = {}): void {
  writeFileAtomic(path, encodeNpz(arrays, opts));
}

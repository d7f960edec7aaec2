/**
 * Strict .npy parser. Why not npyjs: it reads big-endian data as native,
 * never checks the declared shape against the bytes present, and throws
 * RangeError on unaligned offsets. Here every array is copied into a fresh,
 * aligned, native-endian typed array, and nothing is allocated from a header
 * value before it has been checked against the data actually present.
 *
 * Object arrays (pickles) are refused: data is never executed.
 */
import { FrameDataError } from '../errors.js';

export type NumericArray =
  | Float32Array | Float64Array
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

export interface NpyArray {
  /** Normalised dtype code without byte order, e.g. 'f4', 'i8', 'U12'. */
  dtype: string;
  shape: number[];
  /** Numeric data in C order (int64/uint64 become Float64Array), or strings for U/S dtypes. */
  data: NumericArray | string[];
}

const corrupt = (msg: string) => new FrameDataError('corrupt', msg);
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
// One decoder each: constructing a TextDecoder costs more than decoding a header.
const LATIN1 = new TextDecoder('latin1');
const UTF8 = new TextDecoder('utf-8');

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Bytes before the data. */
  dataOffset: number;
}

/** What a header declares, checked: the element count and bytes its shape needs. */
export interface NpyLayout extends NpyHeader {
  /** Normalised dtype code without byte order, e.g. 'f4', 'U12'. */
  dtype: string;
  count: number;
  /** Bytes per element (0 for '<U0', '|S0'). */
  itemSize: number;
  /** Data bytes the shape needs. */
  dataBytes: number;
}

/** More elements than this is an absurd shape for any NPZ we read (a 2^31-element float32 array is 8 GB). */
export const MAX_ELEMENTS = 2 ** 31;
/** numpy writes headers of ~128 bytes and refuses ones over 10 000 by default; v2 allows 4 GB. */
export const MAX_HEADER_BYTES = 65536 + 12;
const MAX_DIMS = 64;

/**
 * Bytes an .npy needs before its data (preamble + header dict), from its
 * first 12 bytes, so a reader can fetch exactly the header.
 */
export function npyHeaderBytes(buf: Uint8Array): number {
  if (buf.length < 10) throw corrupt('not an .npy array (too short)');
  for (let i = 0; i < 6; i++) if (buf[i] !== MAGIC[i]) throw corrupt('not an .npy array (bad magic)');
  const major = buf[6];
  if (major < 1 || major > 3) throw corrupt(`unsupported .npy version ${major}`);
  if (major === 1) return 10 + (buf[8] | (buf[9] << 8));
  if (buf.length < 12) throw corrupt('truncated .npy header');
  const len = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(8, true);
  if (12 + len > MAX_HEADER_BYTES) throw corrupt(`.npy header of ${len} bytes, over the ${MAX_HEADER_BYTES}-byte limit`);
  return 12 + len;
}

/** Reads only the header of an .npy (its first bytes); `buf` may hold just the start of the array. */
export function parseNpyHeader(buf: Uint8Array): NpyHeader {
  const dataOffset = npyHeaderBytes(buf);
  if (dataOffset > buf.length) throw corrupt('truncated .npy header');
  const offset = buf[6] === 1 ? 10 : 12;
  const text = (buf[6] === 3 ? UTF8 : LATIN1).decode(buf.subarray(offset, dataOffset));
  const { descr, fortranOrder, shape } = parseHeaderDict(text);
  return { descr, fortranOrder, shape, dataOffset };
}

/**
 * Checks what a header declares against the `available` data bytes before
 * anything is allocated from it: a known dtype (never object), at most
 * MAX_DIMS dimensions and MAX_ELEMENTS elements, and a shape whose bytes fit.
 * Zero-size dtypes ('<U0', '|S0', '|V0') count one byte per element, so a
 * header declaring 2^53 empty strings is refused rather than looped over.
 */
export function checkNpyLayout(h: NpyHeader, available: number): NpyLayout {
  const m = /^([<>|=]?)([a-zA-Z])(\d{0,4})$/.exec(h.descr);
  if (!m) throw corrupt(`unsupported dtype '${h.descr}'`);
  const kind = m[2];
  const width = m[3] === '' ? 0 : Number(m[3]);
  if (kind === 'O') throw corrupt('object (pickled) array refused: arrays of dtype object are never unpickled');
  if (kind !== 'U' && kind !== 'S' && !NUMERIC.has(`${kind}${width}`)) throw corrupt(`unsupported dtype '${h.descr}'`);
  const itemSize = kind === 'U' ? 4 * width : width;
  const shapeText = () => `(${h.shape.join(',')})`;
  if (h.shape.length > MAX_DIMS) throw corrupt(`absurd shape: ${h.shape.length} dimensions`);
  let count = 1;
  for (const d of h.shape) {
    if (!Number.isSafeInteger(d) || d > MAX_ELEMENTS) throw corrupt(`absurd shape ${shapeText()}: dimension ${d} exceeds ${MAX_ELEMENTS}`);
    count *= d;
    if (count > MAX_ELEMENTS) throw corrupt(`absurd shape ${shapeText()}: more than ${MAX_ELEMENTS} elements`);
  }
  // Built field by field: object spread is ~100× slower here, and this runs for every array of every frame.
  const layout: NpyLayout = {
    descr: h.descr, fortranOrder: h.fortranOrder, shape: h.shape, dataOffset: h.dataOffset,
    dtype: `${kind}${width}`, count, itemSize, dataBytes: count * itemSize,
  };
  checkAvailable(layout, available);
  return layout;
}

/** Zero-size elements count one byte each. */
function checkAvailable(l: NpyLayout, available: number): void {
  const need = l.count * Math.max(1, l.itemSize);
  if (need > available) {
    throw corrupt(`array declares shape (${l.shape.join(',')}) of ${l.descr} (${need} bytes) but the data is truncated (${available} bytes)`);
  }
}

export function parseNpy(buf: Uint8Array): NpyArray {
  const header = parseNpyHeader(buf);
  return decodeNpy(checkNpyLayout(header, buf.length - header.dataOffset), buf);
}

/** Decodes a whole .npy whose header was already checked (`layout`, from its first bytes). */
export function decodeNpy(layout: NpyLayout, buf: Uint8Array): NpyArray {
  const body = buf.subarray(layout.dataOffset);
  checkAvailable(layout, body.length);
  return decodeBody(layout, body);
}

/**
 * Decodes a run of whole elements of a numeric C-order array (a piece of a
 * large array read in chunks) into native-endian numbers.
 */
export function decodeNumericChunk(descr: string, bytes: Uint8Array): NumericArray {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  if (!m || 'OUSV'.includes(m[2])) throw corrupt(`unsupported dtype '${descr}' for a numeric array`);
  const width = Math.max(1, Number(m[3]));
  const count = Math.floor(bytes.length / width);
  const layout = checkNpyLayout({ descr, fortranOrder: false, shape: [count], dataOffset: 0 }, bytes.length);
  return decodeBody(layout, bytes.subarray(0, count * width)).data as NumericArray;
}

/** Parses the Python dict literal of an .npy header without evaluating anything. */
function parseHeaderDict(h: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descrM = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(h);
  if (!descrM) {
    if (/['"]descr['"]\s*:\s*\[/.test(h)) throw corrupt('structured dtype arrays are not supported');
    throw corrupt('bad .npy header (no descr)');
  }
  const fortM = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(h);
  if (!fortM) throw corrupt('bad .npy header (no fortran_order)');
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(h);
  if (!shapeM) throw corrupt('bad .npy header (no shape)');
  const parts = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map((s) => {
    if (!/^\d+L?$/.test(s)) throw corrupt(`bad .npy header (shape entry "${s.slice(0, 40)}")`);
    // Past 2^53 a dimension is not even a safe integer: keep it visibly absurd for checkNpyLayout.
    return s.length > 16 ? Infinity : Number.parseInt(s, 10);
  });
  return { descr: descrM[2], fortranOrder: fortM[1] === 'True', shape };
}

function decodeBody(l: NpyLayout, body: Uint8Array): NpyArray {
  const { dtype: code, shape, count, itemSize } = l;
  const bigEndian = l.descr.startsWith('>');
  const kind = code[0];

  if (kind === 'U' || kind === 'S') {
    const charBytes = kind === 'U' ? 4 : 1;
    const width = itemSize / charBytes;
    const out: string[] = [];
    const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 0; i < count; i++) {
      let s = '';
      for (let c = 0; c < width; c++) {
        const at = (i * width + c) * charBytes;
        const cp = kind === 'U' ? dv.getUint32(at, !bigEndian) : body[at];
        if (cp === 0) break;
        if (cp > 0x10ffff) throw corrupt('invalid unicode code point in string array');
        s += String.fromCodePoint(cp);
      }
      out.push(s);
    }
    return { dtype: code, shape, data: out };
  }

  // checkNpyLayout has compared the shape with the bytes present; trailing bytes are tolerated as alignment padding.
  const need = l.dataBytes;
  // View in place when the bytes are already native-endian and aligned (large model arrays); copy otherwise.
  const inPlace = !bigEndian && (body.byteOffset % Math.max(1, itemSize)) === 0 && NO_COPY.has(code);
  const bytes = inPlace ? new Uint8Array(body.buffer, body.byteOffset, need) : new Uint8Array(need);
  if (!inPlace) bytes.set(body.subarray(0, need));
  if (bigEndian && itemSize > 1) byteSwap(bytes, itemSize);
  let data: NumericArray;
  switch (code) {
    case 'f2': data = halfToFloat(new Uint16Array(bytes.buffer, bytes.byteOffset, count)); break;
    case 'f4': data = new Float32Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'f8': data = new Float64Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'i1': data = new Int8Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'u1': case 'b1': data = new Uint8Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'i2': data = new Int16Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'u2': data = new Uint16Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'i4': data = new Int32Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'u4': data = new Uint32Array(bytes.buffer, bytes.byteOffset, count); break;
    case 'i8': data = Float64Array.from(new BigInt64Array(bytes.buffer, bytes.byteOffset, count), Number); break;
    case 'u8': data = Float64Array.from(new BigUint64Array(bytes.buffer, bytes.byteOffset, count), Number); break;
    default: throw corrupt(`unsupported dtype '${l.descr}'`);
  }
  if (l.fortranOrder && shape.length > 1) data = fortranToC(data, shape);
  return { dtype: code, shape, data };
}

/** Numeric dtypes we decode (int64 and uint64 become float64). */
const NUMERIC = new Set(['f2', 'f4', 'f8', 'i1', 'u1', 'b1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);
const NO_COPY = new Set(['f4', 'f8', 'i1', 'u1', 'b1', 'i2', 'u2', 'i4', 'u4']);

function byteSwap(b: Uint8Array, size: number): void {
  for (let i = 0; i < b.length; i += size) {
    for (let a = i, z = i + size - 1; a < z; a++, z--) { const t = b[a]; b[a] = b[z]; b[z] = t; }
  }
}

function halfToFloat(u16: Uint16Array): Float32Array {
  const out = new Float32Array(u16.length);
  for (let i = 0; i < u16.length; i++) {
    const h = u16[i];
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const f = h & 0x3ff;
    out[i] = e === 0 ? s * 2 ** -14 * (f / 1024) : e === 31 ? (f ? NaN : s * Infinity) : s * 2 ** (e - 15) * (1 + f / 1024);
  }
  return out;
}

function fortranToC<T extends NumericArray>(src: T, shape: number[]): T {
  const out = new (src.constructor as { new (n: number): T })(src.length);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  // Walk C order; compute the Fortran-order source index.
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let d = 1; d < nd; d++) fStride[d] = fStride[d - 1] * shape[d - 1];
  for (let i = 0; i < src.length; i++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f += idx[d] * fStride[d];
    out[i] = src[f];
    for (let d = nd - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
  return out;
}

/** Number of elements of a shape. */
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Numeric data or a corrupt-frame error naming the key. */
export function numeric(arr: NpyArray, key: string): NumericArray {
  if (Array.isArray(arr.data)) throw new FrameDataError('invalid_value', `${key} holds strings, expected numbers`);
  return arr.data as NumericArray;
}

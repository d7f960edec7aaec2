/**
 * Seeded mutations of valid NPZ frame files for the fuzz test: bit flips,
 * truncations, edits of zip header fields (sizes, offsets, compression
 * method, CRC, counts) and edits of an array's .npy header (shape, dtype incl.
 * zero-size and object, fortran_order, header length, version), the array's
 * zip rebuilt stored or deflated. Pure functions of (bytes, random).
 */
import { buildZip } from '../../src/npz/write-npz.js';

export type Rand = () => number;
export type MutationKind = 'bitflip' | 'truncate' | 'zip_field' | 'npy_header' | 'npy_prefix' | 'combined';

export interface Mutant {
  bytes: Buffer;
  kind: MutationKind;
  /** What was done, for failure messages. */
  what: string;
  /** For npy edits: the entry edited and the header written. */
  entry?: string;
  descr?: string;
  shape?: string;
}

/** A valid frame: its bytes and its entries (name, .npy bytes), to rebuild after an .npy edit. */
export interface Base {
  name: string;
  bytes: Buffer;
  entries: Array<[string, Buffer]>;
}

const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Offsets of every occurrence of a 4-byte little-endian signature. */
function findSig(b: Buffer, sig: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i++) if (b.readUInt32LE(i) === sig) out.push(i);
  return out;
}

/** Fields of the three zip records: [offset in record, byte width]. */
const FIELDS: Record<number, Array<[string, number, 2 | 4]>> = {
  0x04034b50: [['method', 8, 2], ['crc', 14, 4], ['compressed_size', 18, 4], ['size', 22, 4], ['name_len', 26, 2], ['extra_len', 28, 2]],
  0x02014b50: [['method', 10, 2], ['crc', 16, 4], ['compressed_size', 20, 4], ['size', 24, 4], ['name_len', 28, 2], ['extra_len', 30, 2], ['comment_len', 32, 2], ['local_offset', 42, 4]],
  0x06054b50: [['disk_entries', 8, 2], ['entries', 10, 2], ['cd_size', 12, 4], ['cd_offset', 16, 4], ['comment_len', 20, 2]],
};
const RECORD = { 0x04034b50: 'local', 0x02014b50: 'central', 0x06054b50: 'eocd' } as Record<number, string>;

function fieldValue(r: Rand, old: number, width: 2 | 4, field: string): number {
  const max = width === 2 ? 0xffff : 0xffffffff;
  if (field === 'method') return pick(r, [0, 8, 1, 12, 14, 93, 99, 0xffff]);
  const choices = [0, 1, max, max - 1, 0x7fffffff & max, old + 1, Math.max(0, old - 1), old * 2, old * 1000, int(r, max + 1), old ^ (1 << int(r, width * 8))];
  return Math.min(max, Math.max(0, pick(r, choices))) >>> 0;
}

export function mutateZipField(b: Buffer, r: Rand): { bytes: Buffer; what: string } {
  const out = Buffer.from(b);
  const sig = pick(r, [0x04034b50, 0x02014b50, 0x02014b50, 0x06054b50]);
  const at = findSig(out, sig);
  if (at.length === 0) return { bytes: out, what: 'zip field (no record)' };
  const rec = pick(r, at);
  const [field, off, width] = pick(r, FIELDS[sig]);
  if (rec + off + width > out.length) return { bytes: out, what: 'zip field (record cut)' };
  const old = width === 2 ? out.readUInt16LE(rec + off) : out.readUInt32LE(rec + off);
  const v = fieldValue(r, old, width, field);
  if (width === 2) out.writeUInt16LE(v, rec + off); else out.writeUInt32LE(v, rec + off);
  return { bytes: out, what: `${RECORD[sig]}@${rec}.${field} ${old}→${v}` };
}

export function bitFlips(b: Buffer, r: Rand): { bytes: Buffer; what: string } {
  const out = Buffer.from(b);
  const n = 1 + int(r, 16);
  for (let i = 0; i < n; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
  return { bytes: out, what: `${n} bit flips` };
}

export function truncate(b: Buffer, r: Rand): { bytes: Buffer; what: string } {
  const len = r() < 0.2 ? int(r, 64) : int(r, b.length);
  return { bytes: Buffer.from(b.subarray(0, len)), what: `truncated to ${len} of ${b.length} bytes` };
}

export const ZERO_SIZE_DTYPES = ['<U0', '|S0', '|V0'];
export const HUGE_SHAPES = ['9007199254740992,', '2147483648,', '4294967296, 4294967296', '99999999999999999999,', '1000000000000,', '65536, 65536, 65536'];
const DTYPES = [...ZERO_SIZE_DTYPES, '|O', '<O8', '>f8', '<f4', '<f8', '<i8', '>i4', '|u1', '|b1', '<f2', '<c8', '<U2147483647', '<U8', '|S4', '<M8', 'zz', ''];
const SHAPES = [...HUGE_SHAPES, '0,', '', '1,', '3,', '63,', '8000000,', '21, 3', '1, 1, 3', '-1,', '3, x', Array(70).fill('1').join(', ')];

interface NpyEdit { npy: Buffer; what: string; descr?: string; shape?: string }

/** Rewrites an .npy's header dict (the data bytes kept) with another descr, shape or fortran_order. */
export function editNpyHeader(npy: Buffer, r: Rand): NpyEdit {
  const headerLen = npy.readUInt16LE(8);
  const dict = npy.toString('latin1', 10, 10 + headerLen);
  const data = npy.subarray(10 + headerLen);
  const m = /'descr': '([^']*)', 'fortran_order': (True|False), 'shape': \(([^)]*)\)/.exec(dict);
  if (!m) return { npy, what: 'npy header (unparsed)' };
  let [descr, fortran, shape] = [m[1], m[2], m[3]];
  const edit = int(r, 6);
  if (edit === 0 || edit === 4) descr = pick(r, DTYPES);
  if (edit === 1 || edit === 4) shape = pick(r, SHAPES);
  if (edit === 2) fortran = pick(r, ['True', 'False', 'Maybe']);
  if (edit === 3) { descr = pick(r, ZERO_SIZE_DTYPES); shape = pick(r, HUGE_SHAPES); }
  const structured = edit === 5;
  const body = structured
    ? `{'descr': [('a', '<f4'), ('b', '${descr}')], 'fortran_order': ${fortran}, 'shape': (${shape}), }`
    : `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape}), }`;
  return { npy: npyV1(body, data), what: `npy header ${body}`, descr, shape };
}

/** Damages the .npy preamble: magic, version, header length. */
export function editNpyPrefix(npy: Buffer, r: Rand): NpyEdit {
  const out = Buffer.from(npy);
  const edit = int(r, 3);
  if (edit === 0) { out[int(r, 6)] ^= 0xff; return { npy: out, what: 'npy magic damaged' }; }
  if (edit === 1) { out[6] = pick(r, [0, 2, 3, 4, 255]); return { npy: out, what: `npy version ${out[6]}` }; }
  const v = pick(r, [0, 1, 9, 0xffff, out.readUInt16LE(8) + 1, out.readUInt16LE(8) - 1, int(r, 0x10000)]) & 0xffff;
  out.writeUInt16LE(v, 8);
  return { npy: out, what: `npy header length ${v}` };
}

function npyV1(dict: string, data: Buffer): Buffer {
  const pad = (64 - ((10 + dict.length + 1) % 64)) % 64;
  const header = dict + ' '.repeat(pad) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

/** Keys the classifier reads are edited most, so the edits reach the checks. */
function pickEntry(base: Base, r: Rand): number {
  const read = base.entries.map(([n], i) => [n, i] as const).filter(([n]) => /^(person_ids|person_0_(smplx_|cam_trans))/.test(n));
  return r() < 0.8 && read.length > 0 ? pick(r, read)[1] : int(r, base.entries.length);
}

export function mutate(base: Base, r: Rand): Mutant {
  const kind = pick(r, ['bitflip', 'truncate', 'zip_field', 'zip_field', 'npy_header', 'npy_header', 'npy_prefix', 'combined'] as const);
  if (kind === 'bitflip') return { kind, ...bitFlips(base.bytes, r) };
  if (kind === 'truncate') return { kind, ...truncate(base.bytes, r) };
  if (kind === 'zip_field') return { kind, ...mutateZipField(base.bytes, r) };
  const i = pickEntry(base, r);
  const [entry, npy] = base.entries[i];
  const edited = kind === 'npy_prefix' ? editNpyPrefix(npy, r) : editNpyHeader(npy, r);
  const entries = base.entries.map((e, j): [string, Buffer] => (j === i ? [entry, edited.npy] : e));
  let bytes = buildZip(entries, { compress: r() < 0.3 });
  let what = `${entry}: ${edited.what}`;
  if (kind === 'combined') {
    const more = r() < 0.5 ? mutateZipField(bytes, r) : bitFlips(bytes, r);
    bytes = more.bytes;
    what += `; ${more.what}`;
  }
  return { kind, bytes, what, entry, descr: edited.descr, shape: edited.shape };
}

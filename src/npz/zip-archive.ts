/**
 * Minimal read-only ZIP reader for NPZ files: central directory, stored and
 * deflated entries, zip64 sizes, CRC checked. Synchronous and allocation-light
 * because a dry run reads thousands of small files per second.
 *
 * Limits: an entry's uncompressed size must not exceed `maxEntryBytes`, and
 * inflation is capped at the declared size, so a lying header cannot exhaust memory.
 */
import { inflateRawSync, crc32 } from 'node:zlib';
import { FrameDataError } from '../errors.js';

export interface ZipEntry {
  name: string;
  method: number;          // 0 stored, 8 deflate
  compressedSize: number;
  size: number;
  crc: number;
  localHeaderOffset: number;
}

const EOCD_SIG = 0x06054b50;
const EOCD64_LOC_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

const corrupt = (msg: string) => new FrameDataError('corrupt', msg);

export class ZipArchive {
  readonly entries: Map<string, ZipEntry>;
  constructor(private readonly buf: Buffer, private readonly maxEntryBytes: number) {
    this.entries = readCentralDirectory(buf);
  }

  /** Uncompressed bytes of one entry, CRC-verified. */
  read(name: string): Buffer {
    const e = this.entries.get(name);
    if (!e) throw corrupt(`no entry ${name}`);
    if (e.size > this.maxEntryBytes) {
      throw corrupt(`entry ${name} declares ${e.size} bytes, over the ${this.maxEntryBytes}-byte limit`);
    }
    const b = this.buf;
    const lo = e.localHeaderOffset;
    if (lo + 30 > b.length || b.readUInt32LE(lo) !== LOC_SIG) throw corrupt(`bad local header for ${name}`);
    const start = lo + 30 + b.readUInt16LE(lo + 26) + b.readUInt16LE(lo + 28);
    const end = start + e.compressedSize;
    if (end > b.length) throw corrupt(`entry ${name} is truncated`);
    const raw = b.subarray(start, end);
    let data: Buffer;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(`stored entry ${name} has inconsistent sizes`);
      data = raw;
    } else if (e.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
      } catch (err) {
        throw corrupt(`entry ${name} does not inflate (${(err as Error).message})`);
      }
      if (data.length !== e.size) throw corrupt(`entry ${name} inflates to ${data.length} bytes, header says ${e.size}`);
    } else {
      throw corrupt(`entry ${name} uses unsupported compression method ${e.method}`);
    }
    if ((crc32(data) >>> 0) !== e.crc) throw corrupt(`entry ${name} fails its CRC check`);
    return data;
  }
}

function readCentralDirectory(b: Buffer): Map<string, ZipEntry> {
  if (b.length < 22) throw corrupt(b.length === 0 ? 'empty file' : 'not a zip archive (too short)');
  // EOCD is at the end, followed by a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (b.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
  }
  if (eocd < 0) {
    const head = b.readUInt32LE(0);
    throw corrupt(head === LOC_SIG ? 'truncated zip archive (no end-of-central-directory record)' : 'not a zip archive');
  }
  let count = b.readUInt16LE(eocd + 10);
  let cdSize = b.readUInt32LE(eocd + 12);
  let cdOffset = b.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) && eocd >= 20 && b.readUInt32LE(eocd - 20) === EOCD64_LOC_SIG) {
    const e64 = Number(b.readBigUInt64LE(eocd - 20 + 8));
    if (e64 + 56 > b.length || b.readUInt32LE(e64) !== EOCD64_SIG) throw corrupt('bad zip64 end record');
    count = Number(b.readBigUInt64LE(e64 + 32));
    cdSize = Number(b.readBigUInt64LE(e64 + 40));
    cdOffset = Number(b.readBigUInt64LE(e64 + 48));
  }
  if (cdOffset + cdSize > b.length) throw corrupt('truncated zip archive (central directory past end of file)');
  const entries = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== CEN_SIG) throw corrupt('damaged zip central directory');
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    let compressedSize = b.readUInt32LE(p + 20);
    let size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    let localHeaderOffset = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + 46, p + 46 + nameLen);
    // zip64 extra field: present values replace the 0xffffffff placeholders, in this order.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = b.readUInt16LE(x);
      const len = b.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === 0xffffffff) { size = Number(b.readBigUInt64LE(q)); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(b.readBigUInt64LE(q)); q += 8; }
        if (localHeaderOffset === 0xffffffff) { localHeaderOffset = Number(b.readBigUInt64LE(q)); q += 8; }
      }
      x += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, crc, localHeaderOffset });
    p = xEnd + commentLen;
  }
  return entries;
}

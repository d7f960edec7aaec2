/**
 * Minimal read-only ZIP reader for NPZ files: central directory, stored and
 * deflated entries, zip64 sizes, CRC checked. Synchronous and allocation-light
 * because a dry run reads thousands of small files per second.
 *
 * Limits: an entry's uncompressed size must not exceed `maxEntryBytes`, and
 * inflation is capped at the declared size, so a lying header cannot exhaust memory.
 */
import { inflateRawSync, crc32 } from 'node:zlib';
import { readSync } from 'node:fs';
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

/** Random access to the archive's bytes: a whole buffer (small frame files) or a file descriptor (model files). */
export interface ByteSource {
  readonly length: number;
  read(position: number, length: number): Buffer;
}

export const bufferSource = (b: Buffer): ByteSource => ({
  length: b.length,
  read: (pos, len) => b.subarray(pos, Math.min(b.length, pos + len)),
});

/** Reads only the byte ranges asked for, so a 300 MB model file is never held whole in memory. */
export function fdSource(fd: number, size: number): ByteSource {
  return {
    length: size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const out = Buffer.allocUnsafeSlow(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, out, got, n - got, pos + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    },
  };
}

export class ZipArchive {
  readonly entries: Map<string, ZipEntry>;
  private readonly src: ByteSource;
  constructor(source: Buffer | ByteSource, private readonly maxEntryBytes: number) {
    this.src = Buffer.isBuffer(source) ? bufferSource(source) : source;
    this.entries = readCentralDirectory(this.src);
  }

  /**
   * Where a stored (uncompressed) entry's bytes lie in the file, so a large
   * entry can be read in pieces; null for a compressed entry.
   */
  storedRange(name: string): { start: number; size: number; crc: number } | null {
    const e = this.entries.get(name);
    if (!e) throw corrupt(`no entry ${name}`);
    if (e.method !== 0) return null;
    if (e.size > this.maxEntryBytes) throw corrupt(`entry ${name} declares ${e.size} bytes, over the ${this.maxEntryBytes}-byte limit`);
    const loc = this.src.read(e.localHeaderOffset, 30);
    if (loc.length < 30 || loc.readUInt32LE(0) !== LOC_SIG) throw corrupt(`bad local header for ${name}`);
    const start = e.localHeaderOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
    if (start + e.size > this.src.length) throw corrupt(`entry ${name} is truncated`);
    return { start, size: e.size, crc: e.crc };
  }

  readBytes(position: number, length: number): Buffer {
    return this.src.read(position, length);
  }

  /** Uncompressed bytes of one entry, CRC-verified. */
  read(name: string): Buffer {
    const e = this.entries.get(name);
    if (!e) throw corrupt(`no entry ${name}`);
    if (e.size > this.maxEntryBytes) {
      throw corrupt(`entry ${name} declares ${e.size} bytes, over the ${this.maxEntryBytes}-byte limit`);
    }
    const lo = e.localHeaderOffset;
    const loc = this.src.read(lo, 30);
    if (loc.length < 30 || loc.readUInt32LE(0) !== LOC_SIG) throw corrupt(`bad local header for ${name}`);
    const start = lo + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
    if (start + e.compressedSize > this.src.length) throw corrupt(`entry ${name} is truncated`);
    const raw = this.src.read(start, e.compressedSize);
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

function readCentralDirectory(src: ByteSource): Map<string, ZipEntry> {
  const size = src.length;
  if (size < 22) throw corrupt(size === 0 ? 'empty file' : 'not a zip archive (too short)');
  // EOCD is at the end, followed by a comment of up to 65535 bytes.
  const tailStart = Math.max(0, size - 22 - 65535);
  const tail = src.read(tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) { at = i; break; }
  }
  if (at < 0) {
    const head = src.read(0, 4);
    throw corrupt(head.length === 4 && head.readUInt32LE(0) === LOC_SIG ? 'truncated zip archive (no end-of-central-directory record)' : 'not a zip archive');
  }
  const b = tail;
  const eocd = at;
  let count = b.readUInt16LE(eocd + 10);
  let cdSize = b.readUInt32LE(eocd + 12);
  let cdOffset = b.readUInt32LE(eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) && eocd >= 20 && b.readUInt32LE(eocd - 20) === EOCD64_LOC_SIG) {
    const e64pos = Number(b.readBigUInt64LE(eocd - 20 + 8));
    const e64 = src.read(e64pos, 56);
    if (e64.length < 56 || e64.readUInt32LE(0) !== EOCD64_SIG) throw corrupt('bad zip64 end record');
    count = Number(e64.readBigUInt64LE(32));
    cdSize = Number(e64.readBigUInt64LE(40));
    cdOffset = Number(e64.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > size) throw corrupt('truncated zip archive (central directory past end of file)');
  return parseCentralDirectory(src.read(cdOffset, cdSize), count);
}

function parseCentralDirectory(b: Buffer, count: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  let p = 0;
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

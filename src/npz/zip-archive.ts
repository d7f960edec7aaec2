/**
 * Minimal read-only ZIP reader for NPZ files: central directory, stored and
 * deflated entries, zip64 sizes, CRC checked. Synchronous and allocation-light
 * because a dry run reads thousands of small files per second.
 *
 * Bounded work whatever the file declares: the signature is checked before
 * anything else is read, the end record is searched in the last 64 KiB only,
 * the central directory is capped, an entry's uncompressed size must not
 * exceed `maxEntryBytes`, compressed sizes must be possible for that size, and
 * inflation stops at the declared size, so a zip bomb costs nothing.
 */
import { inflateRawSync, crc32, constants as zc } from 'node:zlib';
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
const EOCD_LEN = 22;
const MAX_COMMENT = 65535;
/** Far above any NPZ's directory (a frame with 1000 people has ~1 MB); caps what a lying header can make us read. */
export const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;
/** Most bytes inflated to find an .npy header (a real one is ~128 bytes, and at most 64 KiB). */
const MAX_PREFIX_OUTPUT = 8 * 1024 * 1024;
/** Deflate's worst expansion ratio (RFC 1951 length codes): bounds what a compressed prefix can inflate to. */
const MAX_INFLATE_RATIO = 1032;

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

/**
 * Deflated data may be a little larger than its output (stored blocks, block
 * headers), never much larger: zlib's deflateBound plus slack for other writers.
 */
const maxCompressedSize = (size: number) => size + Math.ceil(size / 256) + 1024;

export class ZipArchive {
  readonly entries: Map<string, ZipEntry>;
  private readonly src: ByteSource;
  constructor(source: Buffer | ByteSource, private readonly maxEntryBytes: number) {
    this.src = Buffer.isBuffer(source) ? bufferSource(source) : source;
    this.entries = readCentralDirectory(this.src);
  }

  entry(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e) throw corrupt(`no entry ${name}`);
    return e;
  }

  /**
   * Where a stored (uncompressed) entry's bytes lie in the file, so a large
   * entry can be read in pieces; null for a compressed entry.
   */
  storedRange(name: string): { start: number; size: number; crc: number } | null {
    const e = this.entry(name);
    if (e.method !== 0) return null;
    this.checkSize(e);
    return { start: this.dataStart(e), size: e.size, crc: e.crc };
  }

  readBytes(position: number, length: number): Buffer {
    return this.src.read(position, length);
  }

  /**
   * Up to `n` leading uncompressed bytes of an entry (an .npy header), with
   * work bounded by `n` whatever the entry declares: a compressed entry is
   * inflated from a growing prefix of its data, never whole. Not CRC-checked.
   */
  readPrefix(name: string, n: number): Buffer {
    const e = this.entry(name);
    const start = this.dataStart(e);
    const want = Math.min(n, e.size);
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(`stored entry ${name} has inconsistent sizes`);
      return this.src.read(start, want);
    }
    this.checkMethod(e);
    // Grow the prefix until it yields `want` bytes: 1 KiB holds a small entry whole, and inflates to at most ~1 MB.
    for (let p = Math.min(e.compressedSize, 1024); ; p = Math.min(e.compressedSize, p * 8)) {
      const cap = Math.min(Math.max(1, e.size), MAX_INFLATE_RATIO * p + 1024, MAX_PREFIX_OUTPUT);
      const out = this.inflate(e, this.src.read(start, p), cap, true, () => (cap < e.size
        ? corrupt(`entry ${name}: its first ${p} compressed bytes inflate to over ${MAX_PREFIX_OUTPUT} bytes`)
        : corrupt(`entry ${name} inflates to more than the ${e.size} bytes its header says`)));
      if (out.length >= want || p >= e.compressedSize) return out.subarray(0, want);
    }
  }

  /** Uncompressed bytes of one entry, CRC-verified. */
  read(name: string): Buffer {
    const e = this.entry(name);
    this.checkSize(e);
    const start = this.dataStart(e);
    let data: Buffer;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(`stored entry ${name} has inconsistent sizes`);
      data = this.src.read(start, e.size);
    } else {
      this.checkMethod(e);
      data = this.inflate(e, this.src.read(start, e.compressedSize), Math.max(1, e.size), false,
        () => corrupt(`entry ${name} inflates to more than the ${e.size} bytes its header says`));
      if (data.length !== e.size) throw corrupt(`entry ${name} inflates to ${data.length} bytes, header says ${e.size}`);
    }
    if ((crc32(data) >>> 0) !== e.crc) throw corrupt(`entry ${name} fails its CRC check`);
    return data;
  }

  private checkSize(e: ZipEntry): void {
    if (e.size > this.maxEntryBytes) {
      throw corrupt(`entry ${e.name} declares ${e.size} bytes, over the ${this.maxEntryBytes}-byte limit`);
    }
  }

  private checkMethod(e: ZipEntry): void {
    if (e.method !== 8) throw corrupt(`entry ${e.name} uses unsupported compression method ${e.method}`);
    if (e.compressedSize > maxCompressedSize(e.size)) {
      throw corrupt(`entry ${e.name} declares ${e.compressedSize} compressed bytes for ${e.size} bytes of data`);
    }
  }

  /** Inflates with output capped at `cap` (`tooLarge` past it); `partial`: the input is a prefix of the stream. */
  private inflate(e: ZipEntry, raw: Buffer, cap: number, partial: boolean, tooLarge: () => FrameDataError): Buffer {
    try {
      return inflateRawSync(raw, { maxOutputLength: cap, ...(partial ? { finishFlush: zc.Z_SYNC_FLUSH } : {}) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw corrupt(`entry ${e.name} does not inflate (${(err as Error).message})`);
    }
  }

  /** Offset of an entry's data, from its local header; the data must lie inside the file. */
  private dataStart(e: ZipEntry): number {
    const loc = this.src.read(e.localHeaderOffset, 30);
    if (loc.length < 30 || loc.readUInt32LE(0) !== LOC_SIG) throw corrupt(`bad local header for ${e.name}`);
    const start = e.localHeaderOffset + 30 + loc.readUInt16LE(26) + loc.readUInt16LE(28);
    if (start + e.compressedSize > this.src.length) throw corrupt(`entry ${e.name} is truncated`);
    return start;
  }
}

/**
 * A zip starts with a local header, or is empty and starts with its end
 * record. Checked before anything else is read: a multi-GB file that is not a
 * zip costs four bytes. `size`: the whole file's.
 */
export function checkZipSignature(head: Buffer, size: number): void {
  if (size === 0) throw corrupt('empty file');
  const sig = head.length >= 4 ? head.readUInt32LE(0) : -1;
  if (sig !== LOC_SIG && sig !== EOCD_SIG) throw corrupt('not a zip archive');
  if (size < EOCD_LEN) throw corrupt('truncated zip archive (too short)');
}

function readCentralDirectory(src: ByteSource): Map<string, ZipEntry> {
  const size = src.length;
  checkZipSignature(src.read(0, 4), size);
  // The end record is at the end, followed by a comment of up to 65535 bytes.
  const tailStart = Math.max(0, size - EOCD_LEN - MAX_COMMENT);
  const tail = src.read(tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_LEN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) { at = i; break; }
  }
  if (at < 0) throw corrupt('truncated zip archive (no end-of-central-directory record)');
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) && at >= 20 && tail.readUInt32LE(at - 20) === EOCD64_LOC_SIG) {
    const e64pos = Number(tail.readBigUInt64LE(at - 20 + 8));
    const e64 = src.read(e64pos, 56);
    if (e64.length < 56 || e64.readUInt32LE(0) !== EOCD64_SIG) throw corrupt('bad zip64 end record');
    count = Number(e64.readBigUInt64LE(32));
    cdSize = Number(e64.readBigUInt64LE(40));
    cdOffset = Number(e64.readBigUInt64LE(48));
  }
  if (cdSize > MAX_DIRECTORY_BYTES) throw corrupt(`zip central directory of ${cdSize} bytes, over the ${MAX_DIRECTORY_BYTES}-byte limit`);
  if (cdOffset + cdSize > size) throw corrupt('truncated zip archive (central directory past end of file)');
  if (count * 46 > cdSize) throw corrupt(`damaged zip central directory (${count} entries in ${cdSize} bytes)`);
  return parseCentralDirectory(src.read(cdOffset, cdSize), count);
}

function parseCentralDirectory(b: Buffer, count: number): Map<string, ZipEntry> {
  const entries = new Map<string, ZipEntry>();
  const damaged = () => corrupt('damaged zip central directory');
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== CEN_SIG) throw damaged();
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    let compressedSize = b.readUInt32LE(p + 20);
    let size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    let localHeaderOffset = b.readUInt32LE(p + 42);
    const xStart = p + 46 + nameLen;
    const xEnd = xStart + extraLen;
    if (xEnd + commentLen > b.length) throw damaged();
    const name = b.toString('utf8', p + 46, xStart);
    // zip64 extra field: present values replace the 0xffffffff placeholders, in this order.
    for (let x = xStart; x + 4 <= xEnd;) {
      const id = b.readUInt16LE(x);
      const len = b.readUInt16LE(x + 2);
      if (x + 4 + len > xEnd) throw damaged();
      if (id === 0x0001) {
        let q = x + 4;
        const next = () => {
          if (q + 8 > x + 4 + len) throw damaged();
          const v = Number(b.readBigUInt64LE(q));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      x += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, crc, localHeaderOffset });
    p = xEnd + commentLen;
  }
  return entries;
}

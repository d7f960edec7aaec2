/**
 * A streaming zip writer, STORE method (PNGs are already compressed): each
 * file is piped through once, its CRC computed on the way and written after
 * it in a data descriptor, so nothing is held in memory but one chunk. Zip32
 * only: refuses archives that would pass 4 GiB.
 */
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Readable } from 'node:stream';

export interface ZipInput { name: string; path: string }

const LIMIT = 0xffffffff;

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function localHeader(name: Buffer, t: { time: number; date: number }): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);          // version needed
  h.writeUInt16LE(0x0808, 6);      // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
  h.writeUInt16LE(0, 8);           // STORE
  h.writeUInt16LE(t.time, 10);
  h.writeUInt16LE(t.date, 12);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function dataDescriptor(crc: number, size: number): Buffer {
  const d = Buffer.alloc(16);
  d.writeUInt32LE(0x08074b50, 0);
  d.writeUInt32LE(crc, 4);
  d.writeUInt32LE(size, 8);
  d.writeUInt32LE(size, 12);
  return d;
}

function centralEntry(name: Buffer, t: { time: number; date: number }, crc: number, size: number, offset: number): Buffer {
  const c = Buffer.alloc(46);
  c.writeUInt32LE(0x02014b50, 0);
  c.writeUInt16LE(0x031e, 4);      // made by: Unix, spec 3.0
  c.writeUInt16LE(20, 6);
  c.writeUInt16LE(0x0808, 8);
  c.writeUInt16LE(0, 10);
  c.writeUInt16LE(t.time, 12);
  c.writeUInt16LE(t.date, 14);
  c.writeUInt32LE(crc, 16);
  c.writeUInt32LE(size, 20);
  c.writeUInt32LE(size, 24);
  c.writeUInt16LE(name.length, 28);
  c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a plain file, rw-r--r--
  c.writeUInt32LE(offset, 42);
  return Buffer.concat([c, name]);
}

function endRecord(count: number, cdSize: number, cdOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(cdSize, 12);
  e.writeUInt32LE(cdOffset, 16);
  return e;
}

async function* zipChunks(files: readonly ZipInput[], now: Date): AsyncGenerator<Buffer> {
  if (files.length > 0xffff) throw new Error(`too many files for a zip32 archive (${files.length})`);
  const t = dosTime(now);
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const header = localHeader(name, t);
    const start = offset;
    yield header;
    offset += header.length;
    let crc = 0;
    let size = 0;
    for await (const chunk of createReadStream(f.path)) {
      crc = crc32(chunk as Buffer, crc);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    offset += size;
    if (offset > LIMIT) throw new Error('the archive would pass 4 GiB (zip32)');
    const dd = dataDescriptor(crc >>> 0, size);
    yield dd;
    offset += dd.length;
    central.push(centralEntry(name, t, crc >>> 0, size, start));
  }
  const cd = Buffer.concat(central);
  yield cd;
  yield endRecord(files.length, cd.length, offset);
}

export const zipStream = (files: readonly ZipInput[], now = new Date()): Readable => Readable.from(zipChunks(files, now), { objectMode: false });

/** PNG encoding through sharp, written atomically. */
import sharp from 'sharp';
import { writeFileAtomicAsync } from './write-atomic.js';

// One PNG is encoded at a time per process; libvips' own threads would only oversubscribe the cores.
sharp.concurrency(1);
// Each frame is encoded once: libvips' operation cache would only hold memory (up to 50 MB).
sharp.cache(false);

export function encodePng(rgba: Uint8Array, width: number, height: number, compressionLevel: number): Promise<Buffer> {
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel, adaptiveFiltering: false })
    .toBuffer();
}

export async function writePng(path: string, rgba: Uint8Array, width: number, height: number, compressionLevel: number): Promise<void> {
  await writeFileAtomicAsync(path, await encodePng(rgba, width, height, compressionLevel));
}

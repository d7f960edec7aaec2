/** PNG of an opaque composed frame: RGB (no alpha channel), written atomically. */
import sharp from 'sharp';
import { writeFileAtomicAsync } from '../output/write-atomic.js';

export async function encodeOpaquePng(rgba: Uint8Array, width: number, height: number, compressionLevel: number): Promise<Buffer> {
  // The alpha of a composed frame is always 255: dropping it makes the file a quarter smaller.
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel, adaptiveFiltering: false })
    .toBuffer();
}

export async function writeOpaquePng(path: string, rgba: Uint8Array, width: number, height: number, compressionLevel: number): Promise<void> {
  await writeFileAtomicAsync(path, await encodeOpaquePng(rgba, width, height, compressionLevel));
}

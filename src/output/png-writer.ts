/** PNG encoding through sharp (one set of settings for every image we write), written atomically. */
import sharp from 'sharp';
import { writeFileAtomicAsync } from './write-atomic.js';

// One PNG is encoded at a time per process; libvips' own threads would only oversubscribe the cores.
sharp.concurrency(1);
// Each frame is encoded once: libvips' operation cache would only hold memory (up to 50 MB).
sharp.cache(false);

export interface PngOptions {
  /** zlib level 0–9. */
  level: number;
  /**
   * Drop the alpha channel: composed video frames are always opaque, and RGB
   * files are a quarter smaller. Mesh renders keep RGBA.
   */
  opaque?: boolean;
}

export function encodePng(rgba: Uint8Array, width: number, height: number, o: PngOptions): Promise<Buffer> {
  const img = sharp(rgba, { raw: { width, height, channels: 4 } });
  return (o.opaque ? img.removeAlpha() : img).png({ compressionLevel: o.level, adaptiveFiltering: false }).toBuffer();
}

export async function writePng(path: string, rgba: Uint8Array, width: number, height: number, o: PngOptions): Promise<void> {
  await writeFileAtomicAsync(path, await encodePng(rgba, width, height, o));
}

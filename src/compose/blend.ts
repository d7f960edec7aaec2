/**
 * Pixel compositing, pure and allocation-free: callers own every buffer.
 * Sources are RGB24 video frames and RGBA renders; results are opaque RGBA,
 * the format the PNG writer and the video encoder take.
 */

/**
 * Mesh over a frame: out = bg·(1 − o·a) + o·rgb, per pixel.
 * `mesh` is a render cleared to transparent black, so after MSAA resolve its
 * colour is already multiplied by coverage `a` (premultiplied); `o` is the
 * overlay opacity. bg: RGB (w·h·3); mesh, out: RGBA (w·h·4). out may be mesh.
 */
export function blendOver(mesh: Uint8Array, bg: Uint8Array, out: Uint8Array, opacity: number): void {
  const n = bg.length / 3;
  checkSizes(n, mesh.length, out.length);
  // Fixed point (×256) keeps the loop in integers; whole pixels are written as one 32-bit word.
  const o = Math.round(Math.min(1, Math.max(0, opacity)) * 256);
  const o255 = o * 255;
  const words = asWords(out);
  for (let i = 0, j = 0, b = 0; i < n; i++, j += 4, b += 3) {
    const a = mesh[j + 3];
    let r = bg[b], g = bg[b + 1], bl = bg[b + 2];
    if (a !== 0) {
      const keep = 65280 - o * a; // 255·256·(1 − o·a/255)
      r = (r * keep + o255 * mesh[j] + 32640) / 65280 | 0;
      g = (g * keep + o255 * mesh[j + 1] + 32640) / 65280 | 0;
      bl = (bl * keep + o255 * mesh[j + 2] + 32640) / 65280 | 0;
    }
    if (words) words[i] = (r | (g << 8) | (bl << 16) | 0xff000000) >>> 0;
    else { out[j] = r; out[j + 1] = g; out[j + 2] = bl; out[j + 3] = 255; }
  }
}

/** RGB24 → opaque RGBA. */
export function rgbToRgba(rgb: Uint8Array, out: Uint8Array): void {
  const n = rgb.length / 3;
  if (out.length !== n * 4) throw new RangeError(`Expected a ${n * 4}-byte RGBA buffer but received ${out.length}`);
  const words = asWords(out);
  for (let i = 0, b = 0; i < n; i++, b += 3) {
    if (words) words[i] = (rgb[b] | (rgb[b + 1] << 8) | (rgb[b + 2] << 16) | 0xff000000) >>> 0;
    else { out[i * 4] = rgb[b]; out[i * 4 + 1] = rgb[b + 1]; out[i * 4 + 2] = rgb[b + 2]; out[i * 4 + 3] = 255; }
  }
}

/** Fills an RGB (3 channels) or RGBA (4, alpha 255) buffer with one colour (0..255). */
export function fillColor(out: Uint8Array, channels: 3 | 4, color: readonly [number, number, number]): void {
  for (let j = 0; j < out.length; j += channels) {
    out[j] = color[0]; out[j + 1] = color[1]; out[j + 2] = color[2];
    if (channels === 4) out[j + 3] = 255;
  }
}

function checkSizes(pixels: number, meshBytes: number, outBytes: number): void {
  if (!Number.isInteger(pixels)) throw new RangeError('Expected an RGB buffer (length divisible by 3)');
  if (meshBytes !== pixels * 4) throw new RangeError(`Expected a ${pixels * 4}-byte RGBA mesh render but received ${meshBytes}`);
  if (outBytes !== pixels * 4) throw new RangeError(`Expected a ${pixels * 4}-byte RGBA output but received ${outBytes}`);
}

/** A 32-bit view for one-store-per-pixel writes: RGBA byte order is the little-endian word r | g<<8 | b<<16 | a<<24. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function asWords(buf: Uint8Array): Uint32Array | null {
  return LITTLE_ENDIAN && buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2) : null;
}

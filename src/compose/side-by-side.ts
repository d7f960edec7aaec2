/**
 * Side-by-side assembly: the source frame on the left, the mesh view on the
 * right, both `height` rows tall, into one opaque RGBA image.
 */
import { rgbToRgba } from './blend.js';

/**
 * left: RGB (leftW·height·3) or null (a neutral panel of `fill`);
 * right: RGBA (rightW·height·4), copied as is (an opaque render);
 * out: RGBA ((leftW + rightW)·height·4).
 */
export function placeSideBySide(
  left: Uint8Array | null,
  leftW: number,
  right: Uint8Array,
  rightW: number,
  height: number,
  out: Uint8Array,
  fill: readonly [number, number, number] = [0, 0, 0],
): void {
  const outW = leftW + rightW;
  if (left && left.length !== leftW * height * 3) throw new RangeError(`Expected a ${leftW}×${height} RGB left panel (${leftW * height * 3} bytes) but received ${left.length}`);
  if (right.length !== rightW * height * 4) throw new RangeError(`Expected a ${rightW}×${height} RGBA right panel (${rightW * height * 4} bytes) but received ${right.length}`);
  if (out.length !== outW * height * 4) throw new RangeError(`Expected a ${outW}×${height} RGBA output (${outW * height * 4} bytes) but received ${out.length}`);
  for (let y = 0; y < height; y++) {
    let j = y * outW * 4;
    if (left) {
      rgbToRgba(left.subarray(y * leftW * 3, (y + 1) * leftW * 3), out.subarray(j, j + leftW * 4));
      j += leftW * 4;
    } else {
      for (let x = 0; x < leftW; x++, j += 4) {
        out[j] = fill[0]; out[j + 1] = fill[1]; out[j + 2] = fill[2]; out[j + 3] = 255;
      }
    }
    const r = y * rightW * 4;
    out.set(right.subarray(r, r + rightW * 4), j);
  }
}

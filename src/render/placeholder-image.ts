/**
 * The frame drawn when a frame has no usable person, so the video keeps its
 * length and the gap is visible. SVG text rasterised by sharp (librsvg +
 * fontconfig; DejaVu Sans is installed).
 */
import sharp, { type Sharp } from 'sharp';

export interface PlaceholderOptions {
  width: number;
  height: number;
  frame: number;
  /** Short reason, e.g. a frame check code or message; long text is cut. */
  reason: string;
}

const MAX_REASON_CHARS = 80;

/** RGBA, width·height·4, rows top-down. */
export async function renderPlaceholder(opts: PlaceholderOptions): Promise<Uint8Array> {
  const { data } = await placeholderPipeline(opts).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function placeholderSvg({ width, height, frame, reason }: PlaceholderOptions): string {
  const s = Math.min(width, height);
  const big = Math.max(10, Math.round(s * 0.075));
  const small = Math.max(8, Math.round(s * 0.04));
  const cut = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
  // DejaVu Sans averages ~0.6 em per character: shrink a long reason to fit the width.
  const reasonSize = Math.max(6, Math.min(small, Math.floor((width * 0.92) / (0.6 * Math.max(cut.length, 1)))));
  const cx = width / 2;
  const cy = height / 2;
  // Simple person outline with a strike, so the meaning survives tiny sizes.
  const icon = Math.round(s * 0.09);
  const iy = cy - big * 1.6 - icon;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <rect width="100%" height="100%" fill="#d9d9d9"/>
  <g stroke="#8a8a8a" stroke-width="${Math.max(1, s * 0.008)}" fill="none">
    <circle cx="${cx}" cy="${iy - icon * 0.55}" r="${icon * 0.3}"/>
    <path d="M ${cx - icon * 0.55} ${iy + icon * 0.7} Q ${cx} ${iy - icon * 0.4} ${cx + icon * 0.55} ${iy + icon * 0.7}"/>
    <line x1="${cx - icon * 0.8}" y1="${iy + icon * 0.8}" x2="${cx + icon * 0.8}" y2="${iy - icon * 1.0}"/>
  </g>
  <g font-family="DejaVu Sans, sans-serif" text-anchor="middle" fill="#333333">
    <text x="${cx}" y="${cy}" font-size="${big}" font-weight="bold">No person detected</text>
    <text x="${cx}" y="${cy + big * 1.3}" font-size="${small}">Frame ${escapeXml(String(frame))}</text>
    <text x="${cx}" y="${cy + big * 1.3 + small * 1.5}" font-size="${reasonSize}" fill="#555555">${escapeXml(cut)}</text>
  </g>
</svg>`;
}

function placeholderPipeline(opts: PlaceholderOptions): Sharp {
  if (!(Number.isInteger(opts.width) && opts.width > 0 && Number.isInteger(opts.height) && opts.height > 0)) {
    throw new RangeError(`Expected positive integer width and height but received ${opts.width}×${opts.height}`);
  }
  // density 72: one SVG unit = one pixel, so the output is exactly width×height.
  return sharp(Buffer.from(placeholderSvg(opts)), { density: 72 }).resize(opts.width, opts.height, { fit: 'fill' });
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

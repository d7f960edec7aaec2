/**
 * What a layout needs before rendering: the background video's size and
 * length, the image size the NPZ intrinsics refer to, and the sizes drawn
 * and written. Mesh layout: none of this (the renderer draws img_size²).
 */
import type { Layout } from '../types.js';
import { probeVideo, type VideoInfo } from '../video/probe-video.js';
import { overlaySize, sideBySideSize, type Size } from './output-size.js';
import { openNpzLazy } from '../npz/read-npz.js';
import type { FrameView } from '../workers/worker-protocol.js';
import type { ViewName } from '../camera/view-rotation.js';

/** Opacity of the mesh over the video in the overlay layout (docs/layouts.md). */
export const OVERLAY_OPACITY = 0.8;

export interface VideoLayout {
  layout: Exclude<Layout, 'mesh'>;
  background: VideoInfo;
  /** The image the NPZ focal/princpt are in: its image_size, else the video's size. */
  source: Size;
  /** What the renderer draws. */
  render: Size;
  /** Size of the decoded background frames (overlay: the output; side-by-side: the left panel). */
  backgroundOut: Size;
  /** Written image and video size. */
  out: Size;
  warnings: string[];
}

/**
 * @param imageSizeFrom an NPZ file holding `image_size` (the first usable frame), or null
 * @param imgSizeFromCli whether --img_size was given (overlay keeps the source resolution otherwise)
 */
export async function setupVideoLayout(opts: { layout: Layout; background: string | null; imgSize: number; views?: readonly ViewName[] }, imageSizeFrom: string | null, imgSizeFromCli: boolean): Promise<VideoLayout> {
  const layout = opts.layout as VideoLayout['layout'];
  const background = await probeVideo(opts.background!);
  const video = { width: background.width, height: background.height };
  const warnings: string[] = [];
  const stored = imageSizeFrom ? readImageSize(imageSizeFrom) : null;
  const source = stored ?? video;
  if (stored && Math.abs(stored.width / stored.height - video.width / video.height) > 0.01) {
    warnings.push(`the NPZ image_size (${stored.width}×${stored.height}) and the background video (${video.width}×${video.height}) differ in aspect; meshes are placed by scaling each axis`);
  }
  if (layout === 'overlay') {
    const out = overlaySize(video, imgSizeFromCli ? opts.imgSize : null);
    return { layout, background, source, render: out, backgroundOut: out, out, warnings };
  }
  const s = sideBySideSize(video, opts.imgSize, opts.views?.length ?? 1);
  return { layout, background, source, render: s.mesh, backgroundOut: s.left, out: s.out, warnings };
}

/** The per-person camera view of the overlay layout (one object for every job). */
export function sourceView(l: VideoLayout): FrameView {
  return { kind: 'source', sourceWidth: l.source.width, sourceHeight: l.source.height, outWidth: l.render.width, outHeight: l.render.height };
}

/** image_size (height, width) of one NPZ, or null when absent or unusable. */
function readImageSize(path: string): Size | null {
  try {
    const npz = openNpzLazy(path);
    try {
      if (!npz.has('image_size')) return null;
      const d = npz.get('image_size').data;
      if (Array.isArray(d) || d.length !== 2) return null;
      const [height, width] = [Number(d[0]), Number(d[1])];
      return width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height) ? { width, height } : null;
    } finally {
      npz.close();
    }
  } catch {
    return null;
  }
}

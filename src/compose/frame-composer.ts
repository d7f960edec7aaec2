/**
 * The compose step of the ordered writer, one per layout: what output frame
 * a planned frame becomes, given its mesh render (its own, or its fallback
 * source's) or none.
 *   mesh: the render itself (the renderer already wrote its PNG), a
 *     placeholder image, or nothing;
 *   overlay / side-by-side: every frame gets an output frame composed with
 *     video frame k, so the MP4 stays in step with the source; without a
 *     mesh, the plain source frame.
 */
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { FrameEntry } from '../report/build-report.js';
import type { RGB } from '../types.js';
import { renderPlaceholder } from '../render/placeholder-image.js';
import type { BackgroundFrames } from '../video/background-frames.js';
import { blendOver, fillColor, rgbToRgba } from './blend.js';
import { placeSideBySide } from './side-by-side.js';
import { OVERLAY_OPACITY, type VideoLayout } from './layout-setup.js';

/** A frame entry of a video layout: says when the picture is not the usual one. */
export type LayoutFrameEntry = FrameEntry & { layout_note?: string };

export interface FrameComposer {
  /** Every frame gets an output frame (video layouts), not only frames with a picture. */
  readonly everyFrame: boolean;
  /** The renderer writes a rendered frame's PNG itself (the mesh layout: the render is the picture). */
  readonly rendererWritesPng: boolean;
  /** Output frames are opaque (their PNGs drop the alpha channel). */
  readonly opaque: boolean;
  /** RGBA of the output frame, or null for none. */
  compose(p: PlannedFrame, e: LayoutFrameEntry, mesh: Uint8Array | null): Promise<Uint8Array | null>;
  /** A buffer from compose() is no longer used (encoded and written). */
  recycle(buf: Uint8Array): void;
}

export function meshComposer(size: { width: number; height: number }): FrameComposer {
  return {
    everyFrame: false,
    rendererWritesPng: true,
    opaque: false,
    async compose(p, e, mesh) {
      if (mesh) return mesh;
      if (p.status !== 'placeholder') return null;
      return renderPlaceholder({ ...size, frame: p.frame, reason: e.detail ?? p.check });
    },
    recycle() {},
  };
}

/** Past the end of the background video: mid grey. */
export const NEUTRAL_BACKGROUND: RGB = [128, 128, 128];
const PLAIN = 'no mesh drawn: plain source frame';
const PAST_END = 'past the end of the video: neutral background';

export class VideoComposer implements FrameComposer {
  readonly everyFrame = true;
  readonly rendererWritesPng = false;
  readonly opaque = true;
  /** Frames shown on the neutral background (past the end of the video). */
  readonly neutralFrames: number[] = [];
  private readonly free: Uint8Array[] = [];
  private neutral: Buffer | null = null;
  private emptyMesh: Buffer | null = null;

  constructor(private readonly layout: VideoLayout, readonly background: BackgroundFrames, private readonly meshBackground: RGB) {}

  async compose(p: PlannedFrame, e: LayoutFrameEntry, mesh: Uint8Array | null): Promise<Uint8Array> {
    const { out, render, backgroundOut } = this.layout;
    if (!mesh) e.layout_note = e.layout_note ?? PLAIN;
    let bg = await this.background.frame(p.frame);
    if (!bg) {
      this.neutralFrames.push(p.frame);
      bg = this.neutralBackground();
      e.layout_note = e.layout_note ? `${e.layout_note}; ${PAST_END}` : PAST_END;
    }
    const buf = this.free.pop() ?? Buffer.allocUnsafeSlow(out.width * out.height * 4);
    if (this.layout.layout === 'overlay') {
      if (mesh) blendOver(mesh, bg, buf, OVERLAY_OPACITY);
      else rgbToRgba(bg, buf);
    } else {
      const right = mesh ?? (p.status === 'placeholder'
        ? await renderPlaceholder({ width: render.width, height: render.height, frame: p.frame, reason: e.detail ?? p.check })
        : this.emptyMeshView());
      placeSideBySide(bg, backgroundOut.width, right, render.width, out.height, buf);
    }
    return buf;
  }

  recycle(buf: Uint8Array): void {
    this.free.push(buf);
  }

  private neutralBackground(): Buffer {
    const { width, height } = this.layout.backgroundOut;
    if (!this.neutral) { this.neutral = Buffer.alloc(width * height * 3); fillColor(this.neutral, 3, NEUTRAL_BACKGROUND); }
    return this.neutral;
  }

  private emptyMeshView(): Buffer {
    const { width, height } = this.layout.render;
    if (!this.emptyMesh) {
      this.emptyMesh = Buffer.alloc(width * height * 4);
      fillColor(this.emptyMesh, 4, this.meshBackground.map((c) => Math.round(c * 255)) as RGB);
    }
    return this.emptyMesh;
  }
}

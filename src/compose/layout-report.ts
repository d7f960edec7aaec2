/** What the report says about a video layout: its sizes, and the background video against the sequence. */
import { resolve } from 'node:path';
import type { PlannedFrame } from '../plan/apply-policy.js';
import type { BackgroundFrames } from '../video/background-frames.js';
import { OVERLAY_OPACITY, type VideoLayout } from './layout-setup.js';

export function layoutReport(l: VideoLayout, backgroundPath: string): Record<string, unknown> {
  const bg = l.background;
  return {
    name: l.layout,
    background: resolve(backgroundPath),
    background_video: { width: bg.width, height: bg.height, fps: bg.fps, frames: bg.frameCount, frames_exact: bg.frameCountExact },
    intrinsics_image_size: [l.source.width, l.source.height],
    width: l.out.width,
    height: l.out.height,
    ...(l.layout === 'overlay' ? { opacity: OVERLAY_OPACITY } : { mesh_view: [l.render.width, l.render.height] }),
  };
}

/** The background video against the sequence: shorter or longer is worth a warning, never an error. */
export function layoutWarnings(l: VideoLayout, plan: PlannedFrame[], interrupted: boolean, neutralFrames: number[], bg: BackgroundFrames): string[] {
  const out: string[] = [];
  const n = neutralFrames;
  if (n.length > 0) {
    const why = bg.error ? ` (decoding failed: ${bg.error})` : '';
    out.push(`the background video ended after ${bg.decoded} frames${why}: ${n.length} frame${n.length === 1 ? '' : 's'} (${n[0]}–${n[n.length - 1]}) show a neutral background`);
  }
  const last = plan.length ? plan[plan.length - 1].frame : 0;
  if (!interrupted && !bg.exhausted && l.background.frameCount > last) {
    const about = l.background.frameCountExact ? '' : 'about ';
    out.push(`the background video has ${about}${l.background.frameCount} frames but the sequence ends at frame ${last}: the last ${l.background.frameCount - last} video frames are not shown`);
  }
  return out;
}

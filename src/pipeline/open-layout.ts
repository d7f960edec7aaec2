/**
 * Sets up a video layout (overlay, side-by-side) before rendering: the
 * background video's size and timing, the sizes drawn and written, and the
 * report's layout section. Drawn over the source, the output keeps the
 * source's frame rate unless --fps was given.
 */
import { setupVideoLayout, type VideoLayout } from '../compose/layout-setup.js';
import { layoutReport } from '../compose/layout-report.js';
import type { ScanResult } from '../scan/scan-frames.js';
import type { RunState } from './run-state.js';

export async function openLayout(run: RunState, scan: ScanResult): Promise<VideoLayout> {
  const firstOk = scan.frames.find((f) => f.check === 'ok')?.path ?? null;
  const layout = await setupVideoLayout(run.opts, firstOk, run.provenance.img_size?.source === 'cli');
  run.warnings.push(...layout.warnings);
  if (run.provenance.fps?.source !== 'cli') {
    run.opts = { ...run.opts, fps: layout.background.fps };
    run.provenance = { ...run.provenance, fps: { value: layout.background.fps, source: 'default' } };
  }
  run.extra.layout = layoutReport(layout, run.opts.background!);
  return layout;
}

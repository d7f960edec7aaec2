/**
 * The run's verdict on its frames, pure: --fail-on-missing-rate, and a dry
 * run that found nothing renderable. Fallbacks and placeholders are fine.
 */
import { BatchRenderError } from '../errors.js';
import type { FrameCheck } from '../types.js';
import { missingRate } from './apply-policy.js';

export function qualityGate(
  opts: { failOnMissingRate: number | null; dryRun: boolean },
  scanned: ReadonlyArray<{ check: FrameCheck }>,
  frames: ReadonlyArray<{ check: FrameCheck }>,
): BatchRenderError | null {
  const rate = missingRate(scanned);
  if (opts.failOnMissingRate !== null && rate > opts.failOnMissingRate) {
    return new BatchRenderError('QUALITY_GATE', `missing rate ${rate.toFixed(4)} exceeds --fail-on-missing-rate ${opts.failOnMissingRate}`);
  }
  if (opts.dryRun && !frames.some((f) => f.check === 'ok')) return new BatchRenderError('NOTHING_RENDERABLE', 'no frame had a usable person to render');
  return null;
}

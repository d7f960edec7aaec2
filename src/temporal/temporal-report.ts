/**
 * The report's `temporal` section, snake_case like the rest of the report:
 * the effective settings (defaults included, so a run can be reproduced)
 * and the outliers found.
 */
import type { TemporalOptions } from './temporal-settings.js';
import type { OutlierKind } from './detect-outliers.js';
import type { SmootherSettings } from './smooth-params.js';

const smoother = (s: SmootherSettings) =>
  s.kind === 'gaussian' ? { kind: s.kind, sigma: s.sigma }
    : s.kind === 'one-euro' ? { kind: s.kind, min_cutoff: s.minCutoff, beta: s.beta, d_cutoff: s.dCutoff, max_gap: s.maxGap }
      : { kind: s.kind };

export function temporalReport(t: TemporalOptions, outliers: Record<OutlierKind, number>) {
  return {
    interpolate: t.interpolate ? { max_gap: t.interpolate.maxGap, gap_policy: t.interpolate.gapPolicy } : null,
    smooth: t.smooth ? { fps: t.smooth.fps, body: smoother(t.smooth.body), hands: smoother(t.smooth.hands) } : null,
    reject_outliers: t.rejectOutliers,
    outliers: t.rejectOutliers ? outliers : null,
  };
}

/**
 * --policy interpolate: a frame inside a gap of at most maxGap frames
 * between two usable frames is rendered from parameters interpolated between
 * them (src/temporal/plan-gaps.ts); every other frame without a usable
 * person follows the gap policy exactly as applyPolicy decides it. Pure.
 */
import { planGaps } from './plan-gaps.js';
import { applyPolicy, type PlannedFrame, type Policy } from './apply-policy.js';

/**
 * @param canInterpolate whether frames a and b share someone to interpolate
 *                       (with --person all: a person id present in both)
 */
export function applyInterpolation(
  frames: ReadonlyArray<{ frame: number; check: PlannedFrame['check'] }>,
  gapPolicy: Policy,
  maxGap: number,
  canInterpolate: (a: number, b: number) => boolean = () => true,
): PlannedFrame[] {
  const gaps = planGaps(frames.map((f) => ({ frame: f.frame, usable: f.check === 'ok' })), maxGap);
  return applyPolicy(frames, gapPolicy).map((p, i) => {
    const g = gaps[i];
    if (g.kind !== 'interpolate' || !canInterpolate(g.a, g.b)) return p;
    return { frame: p.frame, check: p.check, status: 'rendered', sourceFrame: null, interpolation: { sourceFrames: [g.a, g.b], weight: g.weight } };
  });
}

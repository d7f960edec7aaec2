/** What the temporal stage is asked to do (parsed from the flags in config/temporal-options.ts). */
import type { Policy } from '../plan/apply-policy.js';
import type { SmoothConfig } from './smooth-params.js';

export type SmoothKind = 'none' | 'one-euro' | 'gaussian';

export interface TemporalOptions {
  /** --policy interpolate: gaps of at most maxGap frames; the rest follow gapPolicy. */
  interpolate: { maxGap: number; gapPolicy: Policy } | null;
  /** Smoothing of every rotation track and cam_trans; null: none. */
  smooth: SmoothConfig | null;
  rejectOutliers: boolean;
}


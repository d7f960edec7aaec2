/**
 * Resume and incremental re-render, pure: each output frame gets a
 * fingerprint of everything its image depends on (the render settings, and
 * the input file it shows: its own, or its fallback source's); an output of
 * an earlier run with the same fingerprint, still on disk, is reused as is.
 */
import { createHash } from 'node:crypto';
import type { PlannedFrame } from './apply-policy.js';

export interface PreviousOutput {
  fingerprint: string;
  image: string;
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 20);

/** null for frames that show nothing (skipped), or whose input has no fingerprint. */
export function outputFingerprint(settings: string, p: PlannedFrame, input: ReadonlyMap<number, string | null>, reason: string): string | null {
  switch (p.status) {
    case 'rendered': { const f = input.get(p.frame); return f ? hash(`${settings}|rendered|${f}`) : null; }
    case 'fallback': { const f = input.get(p.sourceFrame!); return f ? hash(`${settings}|fallback|${f}`) : null; }
    case 'placeholder': return hash(`${settings}|placeholder|${p.frame}|${reason}`);
    default: return null;
  }
}

/** Which output frames are reused: same fingerprint as before, same image name, and the file still there. */
export function planReuse(
  plan: readonly PlannedFrame[], fingerprints: ReadonlyArray<string | null>, previous: ReadonlyMap<number, PreviousOutput>,
  image: (frame: number) => string, exists: (name: string) => boolean,
): boolean[] {
  return plan.map((p, i) => {
    const fp = fingerprints[i];
    const prev = previous.get(p.frame);
    return fp !== null && prev !== undefined && prev.fingerprint === fp && prev.image === image(p.frame) && exists(prev.image);
  });
}

/**
 * Rendered frames that still need a render: those not reused, and those a
 * non-reused fallback frame shows (its picture is made from the render).
 */
export function framesToRender(plan: readonly PlannedFrame[], reused: readonly boolean[]): Set<number> {
  const need = new Set<number>();
  plan.forEach((p, i) => {
    if (reused[i]) return;
    if (p.status === 'rendered') need.add(p.frame);
    else if (p.status === 'fallback') need.add(p.sourceFrame!);
  });
  return need;
}

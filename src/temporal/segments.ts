/**
 * Splits a track's sample times into runs that a smoother may treat as one
 * signal: a new run starts wherever more than `maxGap` frames are missing
 * between two samples, so no smoother ever blends across a long gap.
 */

/**
 * @param times  (N) ascending frame numbers of the samples
 * @param maxGap most missing frames between two samples of one run
 * @returns      [start, end) index pairs covering 0..N
 */
export function splitSegments(times: ArrayLike<number>, maxGap: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= times.length; i++) {
    if (i === times.length || times[i] - times[i - 1] - 1 > maxGap) {
      if (i > start) runs.push([start, i]);
      start = i;
    }
  }
  return runs;
}

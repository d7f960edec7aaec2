/** Whether a pid still runs a given job's CLI (Linux /proc; pids are reused, so the job id must be on its command line). */
import { readFileSync } from 'node:fs';

export function runsJob(pid: number, jobId: string): boolean {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return cmd.includes(jobId) && !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/** Waits for an orphaned job process (told to stop by its parent-watch) to end; kills its group after `graceMs`. */
export async function awaitOrphan(pid: number, jobId: string, graceMs: number): Promise<void> {
  const t0 = Date.now();
  while (runsJob(pid, jobId)) {
    if (Date.now() - t0 > graceMs) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Preloaded (node --import) into every job's CLI process. The job runs in its
 * own process group, so a Ctrl-C at the service's terminal does not reach it;
 * but when the service (or worker) dies, even by kill -9, the kernel closes
 * our stdin pipe: we then stop the whole group the way Ctrl-C would, so the
 * CLI keeps its finished frames and no orphan renders on while the job is run
 * again elsewhere. Output to the vanished reader is dropped, not fatal.
 */
const stopGroup = () => {
  try { process.kill(-process.pid, 'SIGINT'); } catch { process.kill(process.pid, 'SIGINT'); }
  // A CLI that cannot finish its frames in flight within the grace time is stopped hard.
  setTimeout(() => { try { process.kill(-process.pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000).unref();
};

process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
process.stdin.on('data', () => {});
process.stdin.on('end', stopGroup);
process.stdin.on('error', stopGroup);
// Watching stdin must not keep a finished CLI alive.
(process.stdin as unknown as { unref?: () => void }).unref?.();

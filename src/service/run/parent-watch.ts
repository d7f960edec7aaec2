/**
 * Preloaded (node --import) into every job's CLI process. The job runs in its
 * own process group, so a Ctrl-C at the service's terminal does not reach it;
 * but when the service (or worker) dies, even by kill -9, the kernel closes
 * our stdin pipe: we then interrupt the CLI as Ctrl-C would, so it keeps its finished frames and no orphan renders on while the job is run
 * again elsewhere. Output to the vanished reader is dropped, not fatal.
 */
const stopGroup = () => {
  process.kill(process.pid, 'SIGINT');
  // The whole group (workers, ffmpeg, Xvfb) goes if the CLI cannot finish its frames in flight within the grace time is stopped hard.
  setTimeout(() => { try { process.kill(-process.pid, 'SIGKILL'); } catch { /* gone */ } }, 20_000).unref();
};

process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
process.stdin.on('data', () => {});
process.stdin.on('end', stopGroup);
process.stdin.on('error', stopGroup);
// Watching stdin must not keep a finished CLI alive.
(process.stdin as unknown as { unref?: () => void }).unref?.();

/**
 * `batch-render worker --queue redis://… --data DIR`: runs jobs from the
 * server's Redis queue on this machine, one JSON line per job event on stdout.
 */
import { pathToFileURL } from 'node:url';
import { parseWorkerArgs } from './serve-options.js';
import { exitCodeOf } from '../errors.js';

export async function main(argv: string[]): Promise<number> {
  let o;
  try {
    o = parseWorkerArgs(argv);
  } catch (err) {
    process.stderr.write(`batch-render worker: ${(err as Error).message}\n`);
    return exitCodeOf(err);
  }
  if ('help' in o) { process.stdout.write(o.help); return 0; }
  const { startRedisWorker } = await import('./queue/redis-worker.js');
  let worker;
  try {
    worker = startRedisWorker({
      url: o.queue, dataDir: o.dataDir, concurrency: o.workers, lockDurationMs: o.lockDurationMs, stalledIntervalMs: o.stalledIntervalMs,
      log: (e) => process.stdout.write(JSON.stringify(e) + '\n'),
    });
  } catch (err) {
    process.stderr.write(`batch-render worker: ${(err as Error).message}\n`);
    return exitCodeOf(err);
  }
  process.stdout.write(JSON.stringify({ event: 'ready', queue: o.queue, data: o.dataDir, workers: o.workers }) + '\n');
  await new Promise<void>((res) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); res(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await worker.close();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`batch-render worker: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  });
}

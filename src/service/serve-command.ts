/**
 * `batch-render serve`: the HTTP service. Returns (with the exit status) once
 * SIGINT or SIGTERM has stopped it: running jobs are interrupted like Ctrl-C
 * and queued again, so the next start runs them.
 */
import { pathToFileURL } from 'node:url';
import { parseServeArgs } from './serve-options.js';
import { exitCodeOf } from '../errors.js';
import { JobStore } from './store/job-store.js';
import { LocalQueue } from './queue/local-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { createServer } from './create-server.js';

export async function main(argv: string[]): Promise<number> {
  let o;
  try {
    o = parseServeArgs(argv);
  } catch (err) {
    process.stderr.write(`batch-render serve: ${(err as Error).message}\n`);
    return exitCodeOf(err);
  }
  if ('help' in o) { process.stdout.write(o.help); return 0; }
  const store = new JobStore(o.dataDir);
  let queue: JobQueue;
  try {
    queue = o.queue
      ? new (await import('./queue/redis-queue.js')).RedisQueue(store, o.queue)
      : new LocalQueue(store, o.dataDir, o.workers);
  } catch (err) {
    process.stderr.write(`batch-render serve: ${(err as Error).message}\n`);
    store.close();
    return exitCodeOf(err);
  }
  const app = await createServer({
    store, queue,
    config: {
      dataDir: o.dataDir, allowDirs: o.allowDirs, poseModel: o.poseModel, detectorModel: o.detectorModel, modelPath: o.modelPath,
      maxUploadBytes: o.maxUploadMb * 1024 * 1024, maxQueue: o.maxQueue, token: o.token, queueKind: o.queue ? 'redis' : 'local',
    },
  });
  try {
    await queue.start();
    const address = await app.listen({ host: o.host, port: o.port });
    process.stdout.write(`batch-render serve: listening on ${address} (data ${o.dataDir}, ${o.queue ? `queue ${o.queue}` : `${o.workers} worker(s)`})\n`);
  } catch (err) {
    process.stderr.write(`batch-render serve: ${(err as Error).message}\n`);
    await app.close();
    await queue.close();
    store.close();
    return 2;
  }
  await new Promise<void>((res) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); res(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write('batch-render serve: stopping (running jobs are queued again)\n');
  // Jobs first: closing the app waits for open requests, and a job must not finish meanwhile.
  await Promise.all([queue.close(), app.close()]);
  store.close();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
    process.stderr.write(`batch-render serve: internal error: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  });
}

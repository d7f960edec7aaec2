/**
 * Render worker (child process) for --concurrency ≥ 2: one GL context per
 * process, because headless-gl loads once per process. Files are written
 * here; only pixels the video needs travel to the main process, over fd 4.
 */
import { createWriteStream } from 'node:fs';
import type { FromWorker, ToWorker, WorkerConfig } from './worker-protocol.js';
import { PIXEL_FD, PIXEL_HEADER_BYTES } from './worker-protocol.js';
import { BatchRenderError } from '../errors.js';
import { FrameRenderer } from './frame-renderer.js';
import { RenderLoop } from './render-loop.js';

const send = (m: FromWorker) => process.send!(m);
const pixelOut = createWriteStream('', { fd: PIXEL_FD });

async function main(): Promise<void> {
  const config = await new Promise<WorkerConfig>((resolve) => {
    process.once('message', (m: ToWorker) => { if (m.type === 'init') resolve(m.config); });
  });
  const renderer = await FrameRenderer.create(config);
  const loop = new RenderLoop(renderer);
  send({ type: 'ready', ...renderer.ready });

  // Pixels go out in job order, so the main process can match them by frame number.
  let sent = Promise.resolve();
  process.on('message', (m: ToWorker) => {
    if (m.type === 'exit') { void loop.drained().then(() => sent).then(finish); return; }
    if (m.type !== 'job') return;
    const job = m.job;
    const outcome = loop.render(job);
    sent = sent.then(async () => {
      const o = await outcome;
      if (o.failure) { send({ type: 'frame-failed', frame: job.frame, check: o.failure.check, detail: o.failure.detail, code: o.failure.code }); return; }
      if (o.pixels) await writePixels(job.frame, o.pixels);
      o.release();
      send({ type: 'done', frame: job.frame, times: o.times!, pixels: !!o.pixels, note: o.note ?? null });
    });
  });

  function finish(): void {
    renderer.dispose();
    pixelOut.end(() => process.exit(0));
  }
}

function writePixels(frame: number, rgba: Buffer): Promise<void> {
  const header = Buffer.alloc(PIXEL_HEADER_BYTES);
  header.writeUInt32LE(frame, 0);
  header.writeUInt32LE(rgba.byteLength, 4);
  pixelOut.write(header);
  // Resolves once the bytes are handed to the pipe, so the pooled buffer can be reused.
  return new Promise<void>((resolve, reject) => pixelOut.write(rgba, (err) => (err ? reject(err) : resolve())));
}

process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group: the main process
// decides when to stop (after the frames in flight), so workers ignore it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
main().catch((err) => {
  const code = err instanceof BatchRenderError ? err.code : 'INTERNAL';
  send({ type: 'fatal', code, message: (err as Error).message });
  setTimeout(() => process.exit(1), 50);
});

/**
 * Render worker (child process): one GL context per process, because
 * headless-gl loads once per process. Each job: read the frame, compute the
 * mesh, draw, read back, and write the PNG/mesh itself so only pixels that the
 * video needs travel to the main process.
 */
import { createWriteStream } from 'node:fs';
import type { FromWorker, ToWorker, WorkerConfig, FrameJob, StageTimes } from './worker-protocol.js';
import { PIXEL_FD, PIXEL_HEADER_BYTES } from './worker-protocol.js';
import { BatchRenderError } from '../errors.js';

const send = (m: FromWorker) => process.send!(m);
const pixelOut = createWriteStream('', { fd: PIXEL_FD });

async function main(): Promise<void> {
  const config = await new Promise<WorkerConfig>((resolve) => {
    process.once('message', (m: ToWorker) => { if (m.type === 'init') resolve(m.config); });
  });
  // Heavy modules load only here, after the display and GPU environment are set.
  const [{ loadBodyModel }, { forwardBody }, { createRenderer }, { readFrameFile }, png, meshExport, atomic] = await Promise.all([
    import('../body-model/load-body-model.js'),
    import('../body-model/forward-body.js'),
    import('../render/create-renderer.js'),
    import('../scan/read-frame.js'),
    import('../encode/png-writer.js'),
    import('../encode/mesh-export.js'),
    import('../util/write-atomic.js'),
  ]);
  const model = loadBodyModel(config.modelPath, { maxShapeDirs: config.maxShapeDirs, maxExprDirs: config.maxExprDirs });
  const renderer = await createRenderer({ width: config.width, height: config.height, device: config.device });
  send({ type: 'ready', info: renderer.info, evidence: renderer.evidence, vertices: model.numVertices, faces: model.numFaces, extentRadius: model.extentRadius });

  // Reused per person slot, so memory stays flat however long the sequence.
  const scratch: Float32Array[] = [];
  let queue = Promise.resolve();
  process.on('message', (m: ToWorker) => {
    if (m.type === 'exit') { queue.then(() => finish()); return; }
    if (m.type !== 'job') return;
    queue = queue.then(() => runJob(m.job)).catch((err) => {
      send({ type: 'frame-failed', frame: m.job.frame, check: 'ok', detail: `render failed: ${(err as Error).message}` });
    });
  });

  async function runJob(job: FrameJob): Promise<void> {
    const times: StageTimes = { read: 0, mesh: 0, draw: 0, readback: 0, png: 0, export: 0 };
    let t = performance.now();
    const reading = readFrameFile(job.path, config.person);
    times.read = lap();
    if (reading.check !== 'ok') {
      // The file changed since the scan; report it rather than render stale data.
      send({ type: 'frame-failed', frame: job.frame, check: reading.check, detail: reading.detail ?? reading.check });
      return;
    }
    const meshes = reading.persons.map((p, i) => {
      scratch[i] ??= new Float32Array(model.numVertices * 3);
      const { vertices } = forwardBody(model, p, { flatHandMean: config.flatHandMean }, scratch[i]);
      return { vertices, color: config.colors[p.personId % config.colors.length] };
    });
    times.mesh = lap();
    const rgba = renderer.draw(meshes, model.faces, job.camera, { background: config.background });
    lap();
    times.draw = renderer.lastTimes.draw;
    times.readback = renderer.lastTimes.readback;
    if (job.exportPath && config.exportFormat) {
      const verts = meshes.map((m) => m.vertices);
      const data = config.exportFormat === 'obj' ? meshExport.encodeObj(verts, model.faces) : meshExport.encodePly(verts, model.faces);
      await atomic.writeFileAtomicAsync(job.exportPath, data);
      times.export = lap();
    }
    // Pixels first: the main process is waiting on them for the video, the PNG can follow.
    if (job.wantPixels) await writePixels(job.frame, rgba);
    if (job.pngPath) {
      await png.writePng(job.pngPath, rgba, config.width, config.height, config.pngLevel);
      times.png = lap();
    }
    send({ type: 'done', frame: job.frame, times, pixels: job.wantPixels });

    function lap(): number { const n = performance.now(); const d = n - t; t = n; return d; }
  }

  function finish(): void {
    renderer.dispose();
    pixelOut.end(() => process.exit(0));
  }
}

async function writePixels(frame: number, rgba: Uint8Array): Promise<void> {
  const header = Buffer.alloc(PIXEL_HEADER_BYTES);
  header.writeUInt32LE(frame, 0);
  header.writeUInt32LE(rgba.byteLength, 4);
  pixelOut.write(header);
  // The renderer reuses its buffer; copy before handing it to the stream.
  if (!pixelOut.write(Buffer.from(rgba))) await new Promise<void>((r) => pixelOut.once('drain', () => r()));
}

process.on('disconnect', () => process.exit(0));
main().catch((err) => {
  const code = err instanceof BatchRenderError ? err.code : 'INTERNAL';
  send({ type: 'fatal', code, message: (err as Error).message });
  setTimeout(() => process.exit(1), 50);
});

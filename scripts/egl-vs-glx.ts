/**
 * EGL against GLX on the drawing alone: the SMPL-X-sized demo body drawn
 * N times at S×S through the shared GlRenderer (upload, draw, readback), one
 * process per backend, one after the other. Prints frames/s and the CPU time
 * per frame of the process (all threads: a fairer figure on a busy machine)
 * and its peak RSS (GLX's Xvfb, a separate process, comes on top).
 *
 *   node dist/scripts/egl-vs-glx.js [--frames 300] [--size 720] [--device cpu|cuda]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadBodyModel } from '../src/body-model/load-body-model.js';
import { demoBodyPath } from '../src/body-model/demo-body/demo-body-path.js';
import { createRenderer } from '../src/render/create-renderer.js';
import { openGlBackend } from '../src/render/open-gl-backend.js';

const { values } = parseArgs({
  options: { frames: { type: 'string', default: '300' }, size: { type: 'string', default: '720' }, device: { type: 'string', default: 'cpu' }, backend: { type: 'string' } },
});
const frames = Number(values.frames), size = Number(values.size);
const device = values.device as 'cpu' | 'cuda';

async function measure(gl: 'egl' | 'glx'): Promise<void> {
  const model = loadBodyModel(demoBodyPath({ targetVertices: 10475 }));
  // Rest pose, turned to OpenCV camera space (y down, z forward) and 3 m ahead.
  const v = new Float32Array(model.vTemplate.length);
  for (let i = 0; i < v.length; i += 3) { v[i] = model.vTemplate[i]; v[i + 1] = -model.vTemplate[i + 1]; v[i + 2] = 3 - model.vTemplate[i + 2]; }
  const camera = { fx: 1.2 * size, fy: 1.2 * size, cx: (size - 1) / 2, cy: (size - 1) / 2, width: size, height: size };
  const backend = await openGlBackend({ gl, device, gpu: null });
  const renderer = await createRenderer({ width: size, height: size, plan: backend.plan });
  const meshes = [{ vertices: v, color: [0.55, 0.7, 0.9] as [number, number, number] }];
  renderer.draw(meshes, model.faces, camera); // warm-up: shader compile, first upload
  let draw = 0, readback = 0;
  const cpu0 = process.cpuUsage(); // all threads of the process, llvmpipe's rasteriser included
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    v[1] += 1e-6; // a changed mesh each frame, as in a real sequence (re-uploaded either way)
    renderer.draw(meshes, model.faces, camera);
    draw += renderer.lastTimes.draw;
    readback += renderer.lastTimes.readback;
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const out = { gl, frames, size, vertices: model.numVertices, faces: model.numFaces, fps: frames / s, cpuMs: (cpu.user + cpu.system) / 1000 / frames, peakRssMB: process.resourceUsage().maxRSS / 1024, drawMs: draw / frames, readbackMs: readback / frames, renderer: renderer.info.glRenderer, version: renderer.info.glVersion };
  renderer.dispose();
  await backend.stop();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (values.backend === 'egl' || values.backend === 'glx') {
  await measure(values.backend);
} else {
  const self = fileURLToPath(import.meta.url);
  for (const gl of ['egl', 'glx']) {
    const line = execFileSync(process.execPath, [self, '--backend', gl, '--frames', String(frames), '--size', String(size), '--device', device], { encoding: 'utf8' });
    const r = JSON.parse(line.trim().split('\n').pop()!);
    console.log(`${gl}: ${r.fps.toFixed(1)} frames/s, ${r.cpuMs.toFixed(1)} ms CPU per frame, peak RSS ${r.peakRssMB.toFixed(0)} MB (draw ${r.drawMs.toFixed(2)} ms + readback ${r.readbackMs.toFixed(2)} ms per frame; ${r.frames} frames ${r.size}², ${r.vertices} vertices / ${r.faces} faces; ${r.renderer}, ${r.version})`);
  }
}

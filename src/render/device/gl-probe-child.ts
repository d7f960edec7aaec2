/**
 * Run as a child process to try a GL context under the env it was given.
 * A failing NVIDIA GLX setup can end the process through Xlib's error
 * handler, so the parent asks a child first. Prints one JSON line.
 */
import { destroyContext, loadGl } from '../glx/load-gl.js';
import { readOwnMaps } from './probe-host.js';

const gl = loadGl()(16, 16);
if (!gl) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: 'createGL returned null' })}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`${JSON.stringify({ ok: true, evidence: readOwnMaps() })}\n`);
  destroyContext(gl);
}

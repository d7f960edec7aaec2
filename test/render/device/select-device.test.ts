import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRenderError } from '../../../src/errors.js';
import {
  assertDevice,
  deviceOf,
  parseGlxinfo,
  parseLoadedDrivers,
  planDevice,
} from '../../../src/render/device/select-device.js';

const line = (path: string) => `7f1c2a000000-7f1c2a100000 r-xp 00000000 08:01 123456                     ${path}`;
const COMMON = [
  line('/usr/bin/node'),
  line('/work/main/node_modules/gl/build/Release/webgl.node'),
  line('/usr/lib/x86_64-linux-gnu/libGL.so.1.7.0'),
  line('/usr/lib/x86_64-linux-gnu/libGLX.so.0.0.0'),
  line('/usr/lib/x86_64-linux-gnu/libGLdispatch.so.0.0.0'),
  '7ffd5a5f3000-7ffd5a614000 rw-p 00000000 00:00 0                          [stack]',
];
const LLVMPIPE_MAPS = [
  ...COMMON,
  line('/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1'),
  line('/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so'),
  line('/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0'),
  line('/usr/lib/x86_64-linux-gnu/libglapi.so.0.0.0'),
].join('\n');
const NVIDIA_MAPS = [
  ...COMMON,
  line('/usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.550.54.15'),
  line('/usr/lib/x86_64-linux-gnu/libnvidia-glcore.so.550.54.15'),
  line('/usr/lib/x86_64-linux-gnu/libnvidia-tls.so.550.54.15'),
].join('\n');

const NO_GPU = { nvidiaDevices: [], glxNvidiaLib: null };
const GPU = { nvidiaDevices: ['/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-uvm'], glxNvidiaLib: '/usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0' };

const isDeviceUnavailable = (re: RegExp) => (err: unknown) =>
  err instanceof BatchRenderError && err.code === 'DEVICE_UNAVAILABLE' && re.test(err.message) && !err.message.includes('\n');

test('parseLoadedDrivers tells llvmpipe from NVIDIA', () => {
  const mesa = parseLoadedDrivers(LLVMPIPE_MAPS);
  assert.equal(mesa.driver, 'llvmpipe');
  assert.ok(mesa.libs.includes('swrast_dri.so') && mesa.libs.includes('libGLX_mesa.so.0.0.0'));
  assert.ok(!mesa.libs.includes('node') && !mesa.libs.includes('webgl.node'));
  assert.equal(parseLoadedDrivers(NVIDIA_MAPS).driver, 'nvidia');
  assert.equal(parseLoadedDrivers(COMMON.join('\n')).driver, 'unknown');
});

test('parseGlxinfo reads glxinfo -B', () => {
  const text = `name of display: :0
display: :0  screen: 0
direct rendering: Yes
Extended renderer info (GLX_MESA_query_renderer):
    Vendor: Mesa (0xffffffff)
    Device: llvmpipe (LLVM 15.0.6, 256 bits) (0xffffffff)
OpenGL vendor string: Mesa
OpenGL renderer string: llvmpipe (LLVM 15.0.6, 256 bits)
OpenGL core profile version string: 4.5 (Core Profile) Mesa 22.3.6
OpenGL version string: 4.5 (Compatibility Profile) Mesa 22.3.6
`;
  const g = parseGlxinfo(text);
  assert.equal(g.vendor, 'Mesa');
  assert.equal(g.renderer, 'llvmpipe (LLVM 15.0.6, 256 bits)');
  assert.equal(g.version, '4.5 (Core Profile) Mesa 22.3.6');
  assert.deepEqual(parseGlxinfo('Error: unable to open display'), { vendor: null, renderer: null, version: null });
});

test('planDevice: cpu, auto and cuda', () => {
  assert.equal(planDevice('cpu', GPU).device, 'cpu');
  assert.equal(planDevice('cpu', GPU).env.LIBGL_ALWAYS_SOFTWARE, '1');
  assert.equal(planDevice('auto', NO_GPU).device, 'cpu');
  const auto = planDevice('auto', GPU);
  assert.equal(auto.device, 'cuda');
  assert.equal(auto.env.__GLX_VENDOR_LIBRARY_NAME, 'nvidia');
  assert.equal(planDevice('cuda', GPU).device, 'cuda');
  // Device node without the GLX library (compute-only container): auto falls back, cuda fails.
  const computeOnly = { nvidiaDevices: ['/dev/nvidia0', '/dev/nvidiactl'], glxNvidiaLib: null };
  assert.equal(planDevice('auto', computeOnly).device, 'cpu');
  assert.throws(() => planDevice('cuda', computeOnly), isDeviceUnavailable(/libGLX_nvidia\.so\.0 not found/));
});

test('planDevice: cuda without a GPU is DEVICE_UNAVAILABLE, one line', () => {
  assert.throws(() => planDevice('cuda', NO_GPU), isDeviceUnavailable(/no NVIDIA device \(\/dev\/nvidia0/));
  // Only control nodes (no /dev/nvidiaN) do not count as a GPU.
  assert.throws(() => planDevice('cuda', { nvidiaDevices: ['/dev/nvidiactl'], glxNvidiaLib: GPU.glxNvidiaLib }), isDeviceUnavailable(/no NVIDIA device/));
});

test('assertDevice: cuda requested but Mesa loaded fails', () => {
  const mesa = parseLoadedDrivers(LLVMPIPE_MAPS);
  const nv = parseLoadedDrivers(NVIDIA_MAPS);
  assert.throws(() => assertDevice('cuda', mesa, null), isDeviceUnavailable(/llvmpipe/));
  assert.throws(() => assertDevice('cuda', nv, 'llvmpipe (LLVM 15.0.6, 256 bits)'), isDeviceUnavailable(/llvmpipe \(LLVM 15\.0\.6/));
  assert.doesNotThrow(() => assertDevice('cuda', nv, 'NVIDIA H100 80GB HBM3/PCIe/SSE2'));
  assert.doesNotThrow(() => assertDevice('cuda', nv, null));
  assert.doesNotThrow(() => assertDevice('cpu', mesa, null));
  assert.equal(deviceOf(mesa, null), 'cpu');
  assert.equal(deviceOf(nv, 'NVIDIA GeForce RTX 4090/PCIe/SSE2'), 'cuda');
});

/** The EGL device policy on device lists written out by hand (as NVIDIA's and Mesa's EGL report them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRenderError } from '../../src/errors.js';
import type { EglDevice } from '../../src/render/egl/list-egl-devices.js';
import { isNvidiaDevice, pickEglDevice } from '../../src/render/egl/pick-egl-device.js';

const dev = (index: number, d: Partial<EglDevice>): EglDevice => ({
  index, extensions: [], drmDeviceFile: null, renderNodeFile: null, drmDriver: null, cudaDevice: null, vendor: null, eglVersion: '1.5', error: null, ...d,
});
const MESA_SW = (i: number) => dev(i, { extensions: ['EGL_MESA_device_software', 'EGL_EXT_device_drm_render_node'], vendor: 'Mesa Project' });
const NV = (i: number, cuda: number | null, card = i) => dev(i, {
  extensions: ['EGL_NV_device_cuda', 'EGL_EXT_device_drm', 'EGL_EXT_device_drm_render_node', 'EGL_EXT_device_query_name', 'EGL_EXT_device_persistent_id'].slice(cuda === null ? 1 : 0),
  drmDeviceFile: `/dev/dri/card${card}`, drmDriver: 'nvidia', cudaDevice: cuda, vendor: 'NVIDIA',
});
const CLIENT = ['EGL_EXT_platform_base', 'EGL_EXT_platform_device', 'EGL_MESA_platform_surfaceless'];

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof BatchRenderError, String(err));
    assert.doesNotMatch(err.message, /\n/);
    return err.code;
  }
  assert.fail('expected an error');
};

test('cpu takes Mesa\'s software device, else the surfaceless platform, else fails with CONFIG', () => {
  assert.deepEqual(pickEglDevice('cpu', [NV(0, 0), MESA_SW(1)], CLIENT),
    { platform: 'device', deviceIndex: 1, deviceExtension: 'EGL_MESA_device_software' });
  assert.deepEqual(pickEglDevice('cpu', [NV(0, 0)], CLIENT),
    { platform: 'surfaceless', deviceIndex: null, deviceExtension: 'EGL_MESA_platform_surfaceless' });
  assert.equal(code(() => pickEglDevice('cpu', [NV(0, 0)], ['EGL_EXT_platform_device'])), 'CONFIG');
  assert.equal(code(() => pickEglDevice('cpu', [], [])), 'CONFIG');
});

test('cuda: NVIDIA is recognised by EGL_NV_device_cuda, EGL_VENDOR or the DRM driver, and Mesa is not', () => {
  assert.ok(isNvidiaDevice(NV(0, 0)));
  assert.ok(isNvidiaDevice(dev(0, { vendor: 'NVIDIA' })));
  assert.ok(isNvidiaDevice(dev(0, { drmDeviceFile: '/dev/dri/card1', drmDriver: 'nvidia' })));
  assert.ok(!isNvidiaDevice(MESA_SW(0)));
  assert.ok(!isNvidiaDevice(dev(0, { drmDeviceFile: '/dev/dri/card0', drmDriver: 'amdgpu', vendor: 'Mesa Project' })));
  assert.equal(code(() => pickEglDevice('cuda', [MESA_SW(0)], CLIENT)), 'DEVICE_UNAVAILABLE');
});

test('cuda with several GPUs: --gpu is a CUDA ordinal, matched through EGL_CUDA_DEVICE_NV, not EGL order', () => {
  // EGL lists the GPUs in another order than CUDA numbers them.
  const devices = [NV(0, 1), NV(1, 0), MESA_SW(2)];
  assert.equal(pickEglDevice('cuda', devices, CLIENT).deviceIndex, 1);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { gpu: 1 }).deviceIndex, 0);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { gpu: 1 }).deviceExtension, 'EGL_NV_device_cuda');
  assert.equal(code(() => pickEglDevice('cuda', devices, CLIENT, { gpu: 2 })), 'DEVICE_UNAVAILABLE');
  assert.equal(code(() => pickEglDevice('cuda', devices, CLIENT, { gpu: -1 })), 'USAGE');
});

test('cuda without EGL_CUDA_DEVICE_NV: an integer CUDA_VISIBLE_DEVICES picks among the NVIDIA devices in EGL order', () => {
  const devices = [MESA_SW(0), NV(1, null, 0), NV(2, null, 1), NV(3, null, 2)];
  assert.equal(pickEglDevice('cuda', devices, CLIENT).deviceIndex, 1);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { gpu: 2 }).deviceIndex, 3);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { cudaVisibleDevices: '2,0' }).deviceIndex, 3);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { cudaVisibleDevices: '2,0', gpu: 1 }).deviceIndex, 1);
  assert.equal(pickEglDevice('cuda', devices, CLIENT, { cudaVisibleDevices: '2,0' }).deviceExtension, 'EGL_EXT_device_drm');
  assert.equal(code(() => pickEglDevice('cuda', devices, CLIENT, { cudaVisibleDevices: '2,0', gpu: 2 })), 'DEVICE_UNAVAILABLE');
  assert.equal(code(() => pickEglDevice('cuda', devices, CLIENT, { cudaVisibleDevices: '7' })), 'DEVICE_UNAVAILABLE');
});

test('cuda: an empty or -1 CUDA_VISIBLE_DEVICES hides every GPU', () => {
  for (const cvd of ['', '-1']) {
    assert.equal(code(() => pickEglDevice('cuda', [NV(0, 0)], CLIENT, { cudaVisibleDevices: cvd })), 'DEVICE_UNAVAILABLE');
  }
});

#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for batch-render: system packages,
# npm dependencies (from the npm registry only), and the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# EGL (the default GL backend, no X server): our addon in native/egl builds against
#   libegl-dev/libgles-dev and draws with Mesa's EGL (llvmpipe) or NVIDIA's.
# gl (headless-gl, the GLX fallback) builds from source: X/GL headers + a C++ toolchain.
# xvfb: the X server the GLX fallback draws through; mesa-utils: glxinfo, its GL strings.
# fonts-dejavu-core: the placeholder image's text.
# python3-numpy: the tests check our NPZ files and forward pass against numpy itself.
# chromium: the viewer and HTML report tests drive a real browser (puppeteer-core).
# redis-server: the distributed queue test starts its own on a random port.
PKGS="libegl-dev libgles-dev libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri libxi-dev libglu1-mesa-dev libglew-dev pkg-config xvfb xauth mesa-utils fonts-dejavu-core build-essential python3 python3-numpy chromium redis-server"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

echo "setup: npm ci"
# onnxruntime-node would download CUDA binaries from outside the npm registry; its CPU
# backend ships in the package. The variable also works where npm stops passing
# unknown .npmrc keys on (npm 11 warns that it will).
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
echo "setup: build"
npm run build --silent
# Which GL backend this machine will use.
node --input-type=module -e "const {resolveEglDevice}=await import('./dist/src/render/device/resolve-device.js'); try{const p=await resolveEglDevice('auto',null); console.log('setup: GL backend: EGL, no X server ('+p.reason+')')}catch(e){console.log('setup: GL backend: headless-gl + Xvfb ('+e.message+')')}"
echo "setup: done"

/**
 * The viewer's HTTP surface with real requests to 127.0.0.1: nothing served
 * outside the given directories, ranged video, the token and host rules, and
 * the mesh API's binary (decoded here from its documented layout) against
 * `--export obj`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/paths.js';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startViewer, main, type RunningViewer } from '../../src/viewer/view-command.js';
import { parseViewArgs } from '../../src/viewer/parse-view-args.js';
import { makeDemoRun, type DemoRun } from './fixtures.js';
import { maxAbsDiff, objVertices } from './obj.js';

let run: DemoRun;
let open: RunningViewer;
let guarded: RunningViewer;
const TOKEN = 'test-token-0123456789abcdef';
const SECRET = 'secret outside the output directory';

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A raw request: the path goes out exactly as written (no client-side ../ folding). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  run = await makeDemoRun({ frames: 12, args: ['--export', 'obj'] });
  writeFileSync(join(run.work, 'secret.txt'), SECRET);
  symlinkSync(join(run.work, 'secret.txt'), join(run.outDir, 'link-out.txt'));
  open = await startViewer({ dirs: [run.outDir], videos: [], port: 0, host: '127.0.0.1', open: false, token: null });
  guarded = await startViewer({ dirs: [run.outDir], videos: [], port: 0, host: '0.0.0.0', open: false, token: TOKEN });
});
after(async () => {
  await open?.close();
  await guarded?.close();
  if (run) rmSync(run.work, { recursive: true, force: true });
});

test('serves files of the directory, nothing outside it', async () => {
  const ok = await get(open.port, '/seq/0/files/render_report.json');
  assert.equal(ok.status, 200);
  assert.deepEqual(JSON.parse(ok.body.toString()).totals, run.report.totals);
  for (const path of [
    '/seq/0/files/../secret.txt', '/seq/0/files/../../secret.txt', '/seq/0/files/..%2fsecret.txt', '/seq/0/files/%2e%2e/secret.txt',
    '/seq/0/files/%2e%2e%2f%2e%2e%2fsecret.txt', '/seq/0/files/..%5csecret.txt', '/seq/0/files//etc/passwd', '/seq/0/files/%2fetc%2fpasswd',
    '/seq/0/files/link-out.txt', '/seq/0/files/render.mp4%00.txt', '/seq/1/files/render_report.json', '/seq/0/../../secret.txt',
  ]) {
    const r = await get(open.port, path);
    assert.ok(r.status >= 400, `${path}: status ${r.status}`);
    assert.ok(!r.body.toString().includes(SECRET) && !r.body.toString().includes('root:'), `${path} leaked a file`);
  }
});

test('ranged requests for the video', async () => {
  const whole = readFileSync(join(run.outDir, 'render.mp4'));
  const r = await get(open.port, '/seq/0/files/render.mp4', { range: 'bytes=100-1099' });
  assert.equal(r.status, 206);
  assert.equal(r.headers['content-range'], `bytes 100-1099/${whole.length}`);
  assert.ok(r.body.equals(whole.subarray(100, 1100)));
  const tail = await get(open.port, '/seq/0/files/render.mp4', { range: 'bytes=-64' });
  assert.ok(tail.body.equals(whole.subarray(whole.length - 64)));
  const bad = await get(open.port, '/seq/0/files/render.mp4', { range: `bytes=${whole.length + 10}-` });
  assert.equal(bad.status, 416);
});

test('loopback without a token: other Host names are refused', async () => {
  assert.equal((await get(open.port, '/')).status, 200);
  assert.equal((await get(open.port, '/', { host: 'evil.example:80' })).status, 403);
  assert.equal((await get(open.port, '/', { host: `localhost:${open.port}` })).status, 200);
});

test('another host needs the token: 401 without it', async () => {
  for (const path of ['/', '/seq/0/', '/seq/0/files/render.mp4', '/api/seq/0/mesh/3', '/api/seq/0/topology']) {
    assert.equal((await get(guarded.port, path)).status, 401, path);
    assert.equal((await get(guarded.port, `${path}?token=wrong-token-0123456789`)).status, 401, `${path} with a wrong token`);
  }
  const first = await get(guarded.port, `/?token=${TOKEN}`);
  assert.equal(first.status, 200);
  const cookie = String(first.headers['set-cookie']).split(';')[0];
  assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  assert.equal((await get(guarded.port, '/seq/0/files/render.mp4', { cookie, range: 'bytes=0-9' })).status, 206, 'the cookie carries it');
  assert.equal((await get(guarded.port, '/api/seq/0/topology', { authorization: `Bearer ${TOKEN}` })).status, 200, 'so does a bearer header');
  assert.throws(() => parseViewArgs([run.outDir, '--host', '0.0.0.0']), /needs|--token/);
  assert.throws(() => parseViewArgs([run.outDir, '--host', '0.0.0.0', '--token', 'short']), /at least 16/);
  assert.equal(await main([run.outDir, '--host', '0.0.0.0']), 2, 'exit 2, a usage error');
  assert.equal(await main([join(run.work, 'D')]), 2, 'a folder without render_report.json is refused');
});

/** The mesh binary decoded from its documented layout (src/web/mesh-format.ts header), not with decodeMesh. */
function decodeHere(b: Buffer) {
  assert.equal(b.toString('latin1', 0, 4), 'BRM1');
  const persons = b.readUInt32LE(4), vertices = b.readUInt32LE(8), frame = b.readUInt32LE(12);
  const pos: number[] = [];
  for (let o = 16 + 4 * persons; o < b.length; o += 4) pos.push(b.readFloatLE(o));
  assert.equal(pos.length, persons * vertices * 3);
  return { persons, vertices, frame, pos };
}

test('the mesh API gives the exact posed mesh of a frame (and of a fallback frame, its source)', async () => {
  const frames = run.report.frames as Array<{ frame: number; status: string; source_frame: number | null }>;
  const k = frames.find((f) => f.status === 'rendered')!.frame;
  const r = await get(open.port, `/api/seq/0/mesh/${k}`);
  assert.equal(r.status, 200);
  const m = decodeHere(r.body);
  assert.equal(m.frame, k);
  assert.equal(m.vertices, run.report.input.model_vertices);
  const obj = objVertices(join(run.outDir, `mesh_${String(k).padStart(4, '0')}.obj`));
  assert.ok(maxAbsDiff(m.pos, obj) <= 1e-5);
  const fb = frames.find((f) => f.status === 'fallback');
  if (fb) assert.equal(decodeHere((await get(open.port, `/api/seq/0/mesh/${fb.frame}`)).body).frame, fb.source_frame);
  const topo = await get(open.port, '/api/seq/0/topology');
  assert.equal(topo.body.toString('latin1', 0, 4), 'BRT1');
  assert.equal(topo.body.readUInt32LE(8), run.report.input.model_faces);
  assert.equal((await get(open.port, '/api/seq/0/mesh/999')).status, 404);
  assert.equal((await get(open.port, '/api/seq/0/mesh/abc')).status, 400);
});

test('view runs until Ctrl-C: prints its URL, serves, exits 0 on SIGINT', async () => {
  const entry = pathToFileURL(join(repoRoot, 'dist/src/viewer/view-command.js')).href;
  const child = spawn(process.execPath, ['--input-type=module', '-e',
    `import(${JSON.stringify(entry)}).then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; })`, run.outDir, '--port', '0'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) { clearTimeout(timer); resolve(m[0]); }
      });
    });
    const res = await get(Number(new URL(url).port), '/');
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /batch-render viewer/);
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    assert.equal(await code, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

/** A run with the temporal stage: interpolated gaps and gaussian smoothing change what is drawn. */
async function temporalRun(): Promise<{ r: DemoRun; viewer: RunningViewer }> {
  const r = await makeDemoRun({ frames: 30, policy: 'interpolate', args: ['--smooth', 'gaussian', '--export', 'obj'] });
  return { r, viewer: await startViewer({ dirs: [r.outDir], videos: [], port: 0, host: '127.0.0.1', open: false, token: null }) };
}
let temporal: Promise<{ r: DemoRun; viewer: RunningViewer }> | null = null;
after(async () => {
  if (!temporal) return;
  const { r, viewer } = await temporal;
  await viewer.close();
  rmSync(r.work, { recursive: true, force: true });
});

const objOf = (dir: string, k: number) => objVertices(join(dir, `mesh_${String(k).padStart(4, '0')}.obj`));

test('with --smooth, the mesh API gives the smoothed mesh the run drew (its --export obj)', async () => {
  temporal ??= temporalRun();
  const { r, viewer } = await temporal;
  const frames = r.report.frames as Array<{ frame: number; status: string }>;
  const rendered = frames.filter((f) => f.status === 'rendered').map((f) => f.frame);
  for (const k of [rendered[2], rendered.at(-2)!]) {
    const m = decodeHere((await get(viewer.port, `/api/seq/0/mesh/${k}`)).body);
    assert.ok(maxAbsDiff(m.pos, objOf(r.outDir, k)) <= 1e-5, `frame ${k}: ${maxAbsDiff(m.pos, objOf(r.outDir, k))}`);
  }
});

test('with --policy interpolate, an interpolated frame gets its interpolated mesh (its --export obj)', async () => {
  temporal ??= temporalRun();
  const { r, viewer } = await temporal;
  const k = (r.report.frames as Array<{ frame: number; status: string }>).find((f) => f.status === 'interpolated')!.frame;
  const m = decodeHere((await get(viewer.port, `/api/seq/0/mesh/${k}`)).body);
  assert.equal(m.frame, k);
  assert.ok(maxAbsDiff(m.pos, objOf(r.outDir, k)) <= 1e-5);
});

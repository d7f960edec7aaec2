/**
 * The HTTP API against a real server on 127.0.0.1 (random port, --token):
 * every endpoint, refused uploads and options with their documented status
 * and JSON error, and nothing written outside the job folders. Outputs are
 * compared with the CLI's own run on the same input (PNG bytes).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import http from 'node:http';
import { join } from 'node:path';
import { writeDemoSequence } from '../../src/demo-data/write-sequence.js';
import { makeVideo, type Rgb } from '../helpers/make-video.js';
import { boxesScoresDetectorHeads, linearModel, poseHeads } from '../helpers/onnx-models.js';
import { runCli, videoStream, countVideoFrames } from '../helpers/run-cli.js';
import { cliPath, repoRoot } from '../helpers/paths.js';
import { api, json, pngNames, samePngs, startServer, submitDir, tree, uploadForm, waitJob, type Server } from './harness.js';
import { makeZip } from './make-zip.js';

const T = mkdtempSync(join(tmpdir(), 'br-svc-api-'));
/** The test's own scratch files (zips it sends), apart from T, whose tree must not change. */
const W = mkdtempSync(join(tmpdir(), 'br-svc-api-work-'));
const data = join(T, 'data');
const allowed = join(T, 'allowed');
const seq = join(allowed, 'seq');
const outside = join(T, 'outside', 'seq');
const clip = join(T, 'clip.mp4');
const TOKEN = 'test-token-' + randomBytes(4).toString('hex');
let s: Server;
let cliOut: string;
let treeBefore: string[];

const outsideData = () => tree(T).filter((p) => !p.startsWith('data'));
const jobFolders = () => (existsSync(join(data, 'jobs')) ? readdirSync(join(data, 'jobs')).sort() : []);

before(async () => {
  await writeDemoSequence(seq, { frames: 6, seed: 3, failures: false });
  await writeDemoSequence(outside, { frames: 6, seed: 4, failures: false });
  symlinkSync(outside, join(allowed, 'link'));
  const colours: Rgb[] = [[200, 120, 60], [90, 200, 150], [250, 250, 250], [180, 90, 200], [100, 220, 100], [230, 180, 100]];
  await makeVideo(clip, { width: 160, height: 120, fps: 10, frames: colours });
  writeFileSync(join(T, 'pose.onnx'), linearModel({ height: 64, width: 48, heads: poseHeads({ score: true }) }));
  writeFileSync(join(T, 'det.onnx'), linearModel({ inputName: 'images', height: 64, width: 64, heads: boxesScoresDetectorHeads() }));
  cliOut = join(T, 'cli-out');
  const r = await runCli(['--npz_dir', seq, '--output_dir', cliOut, '--img_size', '64']);
  assert.equal(r.code, 0, r.stderr);
  s = await startServer(['--data', data, '--allow_dir', allowed, '--pose_model', join(T, 'pose.onnx'), '--detector_model', join(T, 'det.onnx'),
    '--max_upload_mb', '1', '--workers', '2'], { token: TOKEN });
  treeBefore = outsideData();
});

after(async () => {
  await s?.stop();
  rmSync(T, { recursive: true, force: true });
  rmSync(W, { recursive: true, force: true });
});

async function submitted(r: Response): Promise<string> {
  const body = await json(r);
  assert.equal(r.status, 202, JSON.stringify(body));
  assert.match(body.id, /^[0-9a-f-]{36}$/);
  assert.equal(body.status_url, `/jobs/${body.id}`);
  return body.id;
}

async function refused(r: Response, status: number, code: string, message?: RegExp): Promise<string> {
  const body = await json(r);
  assert.equal(r.status, status, JSON.stringify(body));
  assert.equal(body.error?.code, code, JSON.stringify(body));
  assert.equal(typeof body.error.message, 'string');
  if (message) assert.match(body.error.message, message);
  return body.error.message;
}

test('token: /healthz is open, everything else needs the right Bearer token', async () => {
  const h = await api(s, '/healthz', { auth: null });
  assert.equal(h.status, 200);
  assert.equal((await json(h)).status, 'ok');
  await refused(await api(s, '/jobs', { auth: null }), 401, 'UNAUTHORIZED');
  await refused(await api(s, '/jobs', { auth: 'wrong' }), 401, 'UNAUTHORIZED');
  await refused(await api(s, '/jobs?token=wrong', { auth: null }), 401, 'UNAUTHORIZED');
  // A browser opens a page with ?token= once; the cookie it gets carries the token from then on.
  const page = await api(s, `/?token=${TOKEN}`, { auth: null });
  assert.equal(page.status, 200);
  const cookie = page.headers.get('set-cookie')!.split(';')[0];
  assert.equal((await api(s, '/jobs', { auth: null, headers: { cookie } })).status, 200);
  await refused(await api(s, '/metrics', { auth: null }), 401, 'UNAUTHORIZED');
  await refused(await submitDir({ ...s, token: null }, seq), 401, 'UNAUTHORIZED');
  assert.equal((await api(s, '/jobs')).status, 200);
});

test('a non-loopback --host without --token is refused at start', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/src/service/serve-command.js'), '--host', '0.0.0.0', '--port', '0', '--data', join(T, 'unused')], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--host 0\.0\.0\.0 .*--token/);
  assert.ok(!existsSync(join(T, 'unused')), 'nothing created');
});

let dirJob = '';

test('npz_dir job: 202, SSE to the end, totals, the same PNGs as the CLI, report, files with ranges, streamed PNG zip', async () => {
  dirJob = await submitted(await submitDir(s, seq, { img_size: 64 }));
  const ev = await api(s, `/jobs/${dirJob}/events`);
  assert.equal(ev.status, 200);
  assert.match(ev.headers.get('content-type') ?? '', /text\/event-stream/);
  const events = [...(await ev.text()).matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({ event: m[1], data: JSON.parse(m[2]) }));
  assert.equal(events.at(-1)?.event, 'end');
  assert.equal(events.at(-1)?.data.state, 'done', JSON.stringify(events.at(-1)));
  assert.ok(events.some((e) => e.event === 'state'), 'state events');

  const job = await json(await api(s, `/jobs/${dirJob}`));
  assert.equal(job.state, 'done');
  assert.equal(job.totals.frames, 6);
  assert.equal(job.totals.rendered, 6);
  assert.deepEqual(Object.keys(job.progress).sort(), ['done', 'eta_s', 'frames_per_s', 'phase', 'total']);
  assert.equal(job.progress.done, 6);
  assert.ok(job.timings.started_at && job.timings.finished_at);
  assert.equal(job.error, null);

  const out = join(data, 'jobs', dirJob, 'out');
  const same = samePngs(out, cliOut);
  assert.ok(same.equal, same.detail);

  const rep = await api(s, `/jobs/${dirJob}/report`);
  assert.equal(rep.status, 200);
  const report = await json(rep);
  assert.equal(report.schema, 'batch-render/report@1');
  assert.deepEqual(report.totals, job.totals);

  const mp4 = readFileSync(join(out, 'render.mp4'));
  const ranged = await api(s, `/jobs/${dirJob}/files/render.mp4`, { headers: { range: 'bytes=10-99' } });
  assert.equal(ranged.status, 206);
  assert.ok(Buffer.from(await ranged.arrayBuffer()).equals(mp4.subarray(10, 100)));
  const png = await api(s, `/jobs/${dirJob}/files/mesh_0001.png`);
  assert.equal(png.status, 200);
  assert.ok(Buffer.from(await png.arrayBuffer()).equals(readFileSync(join(cliOut, 'mesh_0001.png'))));

  const z = await api(s, `/jobs/${dirJob}/files/pngs.zip`);
  assert.equal(z.status, 200);
  assert.equal(z.headers.get('content-length'), null, 'streamed, not a buffer of known length');
  const zipPath = join(W, 'pngs.zip');
  writeFileSync(zipPath, Buffer.from(await z.arrayBuffer()));
  // Python's zipfile checks every CRC and extracts; the bytes must be the CLI's.
  const unz = join(W, 'unzipped');
  execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])', zipPath, unz]);
  const fromZip = samePngs(unz, cliOut);
  assert.ok(fromZip.equal, fromZip.detail);

  const listing = await json(await api(s, `/jobs/${dirJob}/files`));
  assert.ok(listing.files.some((f: any) => f.name === 'render.mp4'));
});

test('zip of frame files: rendered like the folder', async () => {
  const files = readdirSync(seq).map((n) => ({ name: `seq/${n}`, file: join(seq, n) }));
  const zip = makeZip(join(W, 'frames.zip'), [...files, { name: 'seq/README.txt', text: 'ignored' }]);
  const id = await submitted(await api(s, '/jobs', { method: 'POST', body: uploadForm({ name: 'frames.zip', data: zip }, { img_size: '64' }) }));
  const job = await waitJob(s, id);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  const same = samePngs(join(data, 'jobs', id, 'out'), cliOut);
  assert.ok(same.equal, same.detail);
});

test('video upload: extracted with the server\'s models, then rendered', async () => {
  const id = await submitted(await api(s, '/jobs', { method: 'POST', body: uploadForm({ name: 'clip.mp4', data: readFileSync(clip) }, { img_size: '64', min_score: '0.3' }) }));
  const job = await waitJob(s, id);
  assert.equal(job.state, 'done', JSON.stringify(job.error));
  assert.equal(job.totals.frames, 6);
  const report = await json(await api(s, `/jobs/${id}/report`));
  assert.equal(report.extraction.pose_model, join(T, 'pose.onnx'));
  assert.equal(countVideoFrames(join(data, 'jobs', id, 'out', 'render.mp4')), report.video.frames);
});

test('bad uploads: documented status and JSON error, and no job folder or file left anywhere', async () => {
  const foldersBefore = jobFolders();
  const post = (name: string, bytes: Uint8Array, fields: Record<string, string> = {}) =>
    api(s, '/jobs', { method: 'POST', body: uploadForm({ name, data: bytes }, fields) });

  await refused(await post('clip.mp4', randomBytes(4000)), 400, 'BAD_UPLOAD', /upload clip\.mp4: not a video or a zip/);
  const one = join(seq, readdirSync(seq)[0]);
  await refused(await post('evil.zip', makeZip(join(W, 'evil.zip'), [{ name: '../../x.npz', file: one }])), 400, 'BAD_UPLOAD', /"\.\.\/\.\.\/x\.npz" refused: a "\.\." path component/);
  await refused(await post('abs.zip', makeZip(join(W, 'abs.zip'), [{ name: '/tmp/x.npz', file: one }])), 400, 'BAD_UPLOAD', /absolute path/);
  await refused(await post('link.zip', makeZip(join(W, 'link.zip'), [{ name: 'frame_0001.npz', symlink: '/etc/passwd' }])), 400, 'BAD_UPLOAD', /symbolic link/);
  const bomb = makeZip(join(W, 'bomb.zip'), [{ name: 'frame_0001.npz', zeros: 200 << 20 }]);
  assert.ok(bomb.length < 1 << 20, 'the bomb itself is under the upload limit');
  await refused(await post('bomb.zip', bomb), 400, 'BAD_UPLOAD', /over the .*limit/);
  await refused(await post('big.zip', randomBytes(2 << 20)), 413, 'PAYLOAD_TOO_LARGE');
  await refused(await api(s, '/jobs', { method: 'POST', body: new FormData() }), 400, 'USAGE', /no file/);

  assert.deepEqual(jobFolders(), foldersBefore, 'refused requests leave no job folder');
  assert.deepEqual(outsideData(), treeBefore, 'nothing written outside the data folder');
  assert.ok(!tree(data).some((p) => /(^|\/)x\.npz$/.test(p)), 'no x.npz anywhere');
});

test('bad options: the CLI\'s own one-line messages', async () => {
  const cli = await runCli(['--npz_dir', seq, '--img_size', '6']);
  const cliMsg = cli.stderr.trim().replace(/^batch-render: /, '');
  assert.equal(await refused(await submitDir(s, seq, { img_size: 6 }), 400, 'USAGE'), cliMsg);
  const crf = await runCli(['--npz_dir', seq, '--crf', 'high']);
  assert.equal(await refused(await submitDir(s, seq, { crf: 'high' }), 400, 'USAGE'), crf.stderr.trim().replace(/^batch-render: /, ''));
  await refused(await submitDir(s, seq, { frobnicate: 1 }), 400, 'USAGE', /unknown option '--frobnicate'/);
  await refused(await submitDir(s, seq, { output_dir: '/tmp/elsewhere' }), 400, 'USAGE', /set by the service/);
  await refused(await submitDir(s, seq, { layout: 'overlay' }), 400, 'USAGE', /--layout overlay with --npz_dir needs --background VIDEO/);
  const form = uploadForm({ name: 'clip.mp4', data: readFileSync(clip) }, { policy: 'sometimes' });
  await refused(await api(s, '/jobs', { method: 'POST', body: form }), 400, 'USAGE', /policy/);
  await refused(await api(s, '/jobs?limit=0'), 400, 'USAGE');
});

test('--allow_dir: escapes by .., by symlink, and outside roots are refused', async () => {
  await refused(await submitDir(s, outside), 403, 'FORBIDDEN', /outside the allowed folders/);
  await refused(await submitDir(s, join(allowed, '..', 'outside', 'seq')), 403, 'FORBIDDEN');
  await refused(await submitDir(s, join(allowed, 'link')), 403, 'FORBIDDEN', /symlink/);
  await refused(await submitDir(s, join(allowed, 'nope')), 400, 'CONFIG', /no such directory/);
  await refused(await submitDir(s, 'seq'), 400, 'USAGE', /absolute/);
  assert.ok(!existsSync(join(outside, '..', 'out')));
});

test('unknown ids and routes: 404 with a JSON error', async () => {
  const ghost = randomUUID();
  for (const path of [`/jobs/${ghost}`, '/jobs/..%2F..%2Fetc', `/jobs/${ghost}/events`, `/jobs/${ghost}/report`, `/jobs/${ghost}/files/render.mp4`,
    `/job_status/${ghost}`, '/nowhere']) {
    await refused(await api(s, path), 404, 'NOT_FOUND');
  }
  await refused(await api(s, `/jobs/${ghost}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
  await refused(await api(s, `/jobs/${dirJob}/files/..%2Fjobs.sqlite`), 404, 'NOT_FOUND');
  await refused(await api(s, `/jobs/${dirJob}/files/secret.txt`), 404, 'NOT_FOUND');
});

test('viewer for jobs: GET / lists them, /jobs/:id/view is the viewer page, its mesh API answers', async () => {
  const index = await api(s, '/');
  assert.equal(index.status, 200);
  assert.match(await index.text(), new RegExp(`<a href="/jobs/${dirJob}/view">`));
  const view = await api(s, `/jobs/${dirJob}/view`);
  assert.equal(view.status, 200);
  const html = await view.text();
  const cfg = JSON.parse(/<script type="application\/json" id="br-config">(.*?)<\/script>/s.exec(html)![1]);
  assert.equal(cfg.filesBase, `/jobs/${dirJob}/files/`);
  assert.equal(cfg.apiBase, `/jobs/${dirJob}/api`);
  const topo = await api(s, `${cfg.apiBase}/topology`);
  assert.equal(topo.status, 200);
  assert.ok((await topo.arrayBuffer()).byteLength > 1000);
  const mesh = await api(s, `${cfg.apiBase}/mesh/1`);
  assert.equal(mesh.status, 200);
  assert.ok((await mesh.arrayBuffer()).byteLength > 1000);
  await refused(await api(s, `${cfg.apiBase}/mesh/99`), 404, 'NOT_FOUND');
  await refused(await api(s, `/jobs/${randomUUID()}/view`), 404, 'NOT_FOUND');
});

test('GET /jobs: newest first, paginated', async () => {
  const all = await json(await api(s, '/jobs?limit=200'));
  assert.ok(all.total >= 3);
  const times = all.jobs.map((j: any) => j.created_at);
  assert.deepEqual(times, [...times].sort().reverse());
  const p1 = await json(await api(s, '/jobs?limit=1'));
  const p2 = await json(await api(s, p1.next));
  assert.equal(p1.jobs.length, 1);
  assert.equal(p1.jobs[0].id, all.jobs[0].id);
  assert.equal(p2.jobs[0].id, all.jobs[1].id);
});

test('DELETE: cancels a running job like Ctrl-C, then deletes the finished job\'s files', async () => {
  const long = join(allowed, 'long');
  await writeDemoSequence(long, { frames: 300, seed: 5, failures: false });
  const id = await submitted(await submitDir(s, long, { img_size: 96 }));
  // Follow it by SSE: cancel once a render progress event arrives, then read on to the end.
  const ev = await api(s, `/jobs/${id}/events`);
  const reader = ev.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let cancelled = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (!cancelled && /event: progress\ndata: \{[^\n]*"phase":"render","done":[1-9]/.test(text)) {
      cancelled = true;
      assert.equal((await api(s, `/jobs/${id}`, { method: 'DELETE' })).status, 202);
    }
  }
  assert.ok(cancelled, `SSE gave render progress while the job ran: ${text.slice(0, 500)}`);
  const last = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].at(-1)!;
  assert.equal(last[1], 'end');
  assert.equal(JSON.parse(last[2]).state, 'cancelled');
  const job = await waitJob(s, id);
  assert.equal(job.state, 'cancelled');
  const report = await json(await api(s, `/jobs/${id}/report`));
  assert.equal(report.interrupted, true, 'the CLI stopped as on Ctrl-C and wrote its report');
  assert.ok(report.totals.cancelled > 0);
  const gone = await api(s, `/jobs/${id}`, { method: 'DELETE' });
  assert.equal(gone.status, 200);
  assert.deepEqual(await json(gone), { id, deleted: true });
  assert.ok(!existsSync(join(data, 'jobs', id)));
  await refused(await api(s, `/jobs/${id}`), 404, 'NOT_FOUND');
});

test('Flask aliases: /process_video waits and answers the old shape; async + /job_status', async () => {
  const r = await api(s, '/process_video', { method: 'POST', body: uploadForm({ name: 'clip.mp4', data: readFileSync(clip) }, { img_size: '64', min_score: '0.3', num_workers: '1' }, 'video') });
  const body = await json(r);
  assert.equal(r.status, 200, JSON.stringify(body));
  assert.equal(body.status, 'success');
  const d = body.data;
  assert.equal(d.total_frames, 6);
  assert.equal(d.output_path, join(data, 'jobs', body.job_id, 'out', 'render.mp4'));
  const st = videoStream(d.output_path);
  assert.deepEqual(d.resolution, [st.width, st.height]);
  assert.equal(d.fps, 10, 'a video job renders at the video\'s rate');
  assert.ok(d.processing_time_seconds > 0);
  assert.equal(d.output_size_mb, Math.round(readFileSync(d.output_path).length / 1e4) / 100);
  assert.equal(d.stats.totals.frames, 6);
  assert.ok(d.pose_detection_stats, 'extraction section');

  const a = await api(s, '/process_video_async', { method: 'POST', body: uploadForm({ name: 'clip.mp4', data: readFileSync(clip) }, { img_size: '64' }, 'video') });
  const queued = await json(a);
  assert.equal(a.status, 202);
  assert.equal(queued.status_url, `/job_status/${queued.job_id}`);
  let last: any;
  const t0 = Date.now();
  do {
    last = await json(await api(s, queued.status_url));
    assert.ok(['queued', 'processing', 'completed'].includes(last.status), JSON.stringify(last));
    await new Promise((res) => setTimeout(res, 200));
  } while (last.status !== 'completed' && Date.now() - t0 < 60_000);
  assert.equal(last.status, 'completed');
  assert.equal(last.progress, 100);
  assert.equal(last.data.total_frames, 6);
});

test('/metrics: jobs by state and frames rendered, as the jobs say', async () => {
  const all = (await json(await api(s, '/jobs?limit=200'))).jobs;
  const text = await (await api(s, '/metrics')).text();
  const metric = (re: RegExp) => Number(re.exec(text)?.[1]);
  assert.equal(metric(/^batch_render_jobs\{state="done"\} (\d+)/m), all.filter((j: any) => j.state === 'done').length);
  const frames = all.reduce((n: number, j: any) => n + (j.totals ? j.totals.rendered + j.totals.fallback : 0), 0);
  assert.equal(metric(/^batch_render_frames_rendered_total (\d+)/m), frames);
  assert.ok(metric(/^batch_render_render_seconds_total ([\d.]+)/m) > 0);
});

test('a full queue answers 429 with Retry-After; SIGTERM stops the server promptly and queues its running job again', async () => {
  const args = ['--data', join(T, 'data-q'), '--allow_dir', allowed, '--max_queue', '1', '--workers', '1'];
  let q = await startServer(args);
  try {
    const long = join(allowed, 'long');
    // Large images: a job long enough to be stopped mid-run.
    const first = await submitted(await submitDir(q, long, { img_size: 320 }));
    const second = await submitted(await submitDir(q, long, { img_size: 320 }));
    const r = await submitDir(q, seq);
    await refused(r, 429, 'QUEUE_FULL', /queue is full/);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    // Without a token, a request naming another host is refused (DNS rebinding).
    // (fetch sets Host itself, so node:http sends this one.)
    const rebound = await new Promise<{ status: number; body: any }>((res, rej) => {
      const u = new URL(q.url);
      http.get({ host: '127.0.0.1', port: u.port, path: '/jobs', headers: { host: 'evil.example' } }, (r) => {
        let b = '';
        r.on('data', (d) => { b += d; });
        r.on('end', () => res({ status: r.statusCode!, body: JSON.parse(b) }));
      }).on('error', rej);
    });
    assert.equal(rebound.status, 403);
    assert.equal(rebound.body.error.code, 'FORBIDDEN');
    while ((await json(await api(q, `/jobs/${first}`))).state !== 'running') await new Promise((res) => setTimeout(res, 50));
    const sse = await api(q, `/jobs/${first}/events`);
    const t0 = Date.now();
    q.proc.kill('SIGTERM');
    assert.equal(await q.exited, 0, 'a clean stop, with an SSE client connected');
    assert.ok(Date.now() - t0 < 10_000, `stopped in ${Date.now() - t0} ms`);
    await sse.text().catch(() => '');
    q = await startServer(args);
    // Run again after the restart (it may already have finished: the queue starts before the port opens).
    const t1 = Date.now();
    let again = await json(await api(q, `/jobs/${first}`));
    while (again.attempts < 2 && Date.now() - t1 < 20_000) {
      await new Promise((res) => setTimeout(res, 50));
      again = await json(await api(q, `/jobs/${first}`));
    }
    assert.equal(again.attempts, 2, `the interrupted job runs again: ${JSON.stringify(again)}`);
    assert.ok(['running', 'done'].includes(again.state), again.state);
    for (const id of [second, first]) await api(q, `/jobs/${id}`, { method: 'DELETE' });
    assert.ok(['cancelled', 'done'].includes((await waitJob(q, second)).state));
    assert.ok(['cancelled', 'done'].includes((await waitJob(q, first)).state));
  } finally {
    await q.stop();
  }
});

export { cliPath };

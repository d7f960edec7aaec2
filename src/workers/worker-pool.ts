/**
 * Main-process side of the render workers: spawns N child processes on the
 * shared display, hands out frame jobs to the least busy one, and gathers
 * their results and pixels. A crashed worker fails only its own frames and
 * is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { FromWorker, ToWorker, WorkerConfig, FrameJob, FrameResult, StageTimes } from './worker-protocol.js';
import { PIXEL_FD, PIXEL_HEADER_BYTES } from './worker-protocol.js';
import { BatchRenderError, type ErrorCode } from '../errors.js';

interface Pending {
  job: FrameJob;
  resolve: (r: FrameResult) => void;
  done?: { times: StageTimes; pixels: boolean; note: string | null };
  pixels?: Buffer;
}

export type WorkerReady = Extract<FromWorker, { type: 'ready' }>;

const noop = () => {};
/** The same glibc malloc settings as bin/batch-render's (see there). */
const MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };
const WORKER_FILE = fileURLToPath(new URL('./render-worker.js', import.meta.url));
const MAX_RESPAWNS = 3;

class Worker {
  readonly child: ChildProcess;
  readonly pending = new Map<number, Pending>();
  ready: Promise<WorkerReady>;
  exited = false;

  constructor(config: WorkerConfig, private readonly onExit: (w: Worker) => void) {
    this.child = fork(WORKER_FILE, [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'], serialization: 'advanced',
      env: { ...process.env, ...MALLOC_ENV },
    });
    this.ready = new Promise((resolve, reject) => {
      this.child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'fatal') reject(new BatchRenderError(m.code as ErrorCode, m.message));
        else this.onMessage(m);
      });
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        reject(new BatchRenderError('INTERNAL', `render worker exited during start-up (${code ?? signal})`));
        this.onExit(this);
      });
    });
    this.ready.catch(() => { /* surfaced by the pool's start() */ });
    this.readPixels(this.child.stdio[PIXEL_FD] as Readable);
    this.send({ type: 'init', config });
  }

  send(m: ToWorker): void {
    if (!this.exited && this.child.connected) this.child.send(m);
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'done') {
      const p = this.pending.get(m.frame);
      if (!p) return;
      p.done = { times: m.times, pixels: m.pixels, note: m.note };
      this.settle(p);
    } else if (m.type === 'frame-failed') {
      const p = this.pending.get(m.frame);
      if (!p) return;
      this.pending.delete(m.frame);
      p.resolve({ times: null, pixels: null, release: noop, failure: { check: m.check, detail: m.detail, code: m.code } });
    }
  }

  private settle(p: Pending): void {
    if (!p.done || (p.done.pixels && !p.pixels)) return;
    this.pending.delete(p.job.frame);
    p.resolve({ times: p.done.times, pixels: p.pixels ?? null, release: noop, failure: null, note: p.done.note });
  }

  /** Parses [frame][length][bytes] records straight into one buffer per frame. */
  private readPixels(stream: Readable): void {
    const header = Buffer.alloc(PIXEL_HEADER_BYTES);
    let headerFill = 0;
    let frame = 0;
    let body: Buffer | null = null;
    let bodyFill = 0;
    stream.on('data', (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length) {
        if (body === null) {
          const n = Math.min(PIXEL_HEADER_BYTES - headerFill, chunk.length - off);
          chunk.copy(header, headerFill, off, off + n);
          headerFill += n; off += n;
          if (headerFill === PIXEL_HEADER_BYTES) {
            frame = header.readUInt32LE(0);
            body = Buffer.allocUnsafe(header.readUInt32LE(4));
            bodyFill = 0; headerFill = 0;
          }
        } else {
          const n = Math.min(body.length - bodyFill, chunk.length - off);
          chunk.copy(body, bodyFill, off, off + n);
          bodyFill += n; off += n;
          if (bodyFill === body.length) {
            const p = this.pending.get(frame);
            if (p) { p.pixels = body; this.settle(p); }
            body = null;
          }
        }
      }
    });
  }

  failAll(detail: string): void {
    for (const p of this.pending.values()) {
      p.resolve({ times: null, pixels: null, release: noop, failure: { check: 'ok', detail } });
    }
    this.pending.clear();
  }
}

export class WorkerPool {
  private workers: Worker[] = [];
  private respawns = 0;
  private closing = false;
  /** What the first worker reported: renderer, GL evidence and model size. */
  ready: WorkerReady | null = null;

  constructor(private readonly config: WorkerConfig, private readonly size: number) {}

  async start(): Promise<void> {
    this.workers = Array.from({ length: this.size }, () => this.spawn());
    try {
      const first = await Promise.all(this.workers.map((w) => w.ready));
      this.ready = first[0];
    } catch (err) {
      await this.close(true);
      throw err;
    }
  }

  private spawn(): Worker {
    return new Worker(this.config, (w) => this.handleExit(w));
  }

  private handleExit(w: Worker): void {
    w.failAll('render worker crashed while drawing this frame');
    const i = this.workers.indexOf(w);
    if (i < 0 || this.closing) return;
    if (this.respawns++ < MAX_RESPAWNS) {
      this.workers[i] = this.spawn();
    } else {
      this.workers.splice(i, 1);
    }
  }

  render(job: FrameJob): Promise<FrameResult> {
    const live = this.workers.filter((w) => !w.exited);
    if (live.length === 0) {
      return Promise.resolve({ times: null, pixels: null, release: noop, failure: { check: 'ok', detail: 'no render worker left' } });
    }
    const w = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return new Promise((resolve) => {
      w.pending.set(job.frame, { job, resolve });
      w.send({ type: 'job', job });
    });
  }

  async close(force = false): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      if (w.exited) return resolve();
      w.child.once('exit', () => resolve());
      if (force) w.child.kill('SIGKILL');
      else w.send({ type: 'exit' });
      // A worker that does not exit in time is killed: Ctrl-C must not hang.
      setTimeout(() => w.child.kill('SIGKILL'), force ? 0 : 5000).unref();
    })));
  }
}

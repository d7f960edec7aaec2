/**
 * Progress on stderr: a cli-progress bar on an interactive terminal (unless CI
 * is set), plain periodic lines otherwise, JSON lines on stdout with --json.
 */
import cliProgress from 'cli-progress';

export interface ProgressState {
  phase: 'extract' | 'scan' | 'render';
  done: number;
  total: number;
  fallback: number;
  failed: number;
}

export interface Progress {
  update(s: ProgressState): void;
  stop(): void;
  /** A line of information that must not be garbled by the bar. */
  log(line: string): void;
}

export function createProgress(opts: { json: boolean; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.json) return jsonProgress();
  if (stream.isTTY && !process.env.CI) return barProgress(stream);
  return lineProgress(stream);
}

function rate(s: ProgressState, t0: number): { fps: number; eta: number } {
  const dt = (performance.now() - t0) / 1000;
  const fps = dt > 0 ? s.done / dt : 0;
  return { fps, eta: fps > 0 ? (s.total - s.done) / fps : 0 };
}

function jsonProgress(): Progress {
  const t0 = performance.now();
  let last = 0;
  return {
    update(s) {
      const now = performance.now();
      if (s.done !== s.total && now - last < 500) return;
      last = now;
      const { fps, eta } = rate(s, t0);
      process.stdout.write(JSON.stringify({ event: 'progress', ...s, fps: +fps.toFixed(1), eta_s: +eta.toFixed(1) }) + '\n');
    },
    stop() {},
    log(line) { process.stdout.write(JSON.stringify({ event: 'log', message: line }) + '\n'); },
  };
}

function lineProgress(stream: NodeJS.WriteStream): Progress {
  const t0 = performance.now();
  let last = 0;
  let lastPhase = '';
  return {
    update(s) {
      const now = performance.now();
      if (s.phase === lastPhase && s.done !== s.total && now - last < 2000) return;
      last = now; lastPhase = s.phase;
      const { fps, eta } = rate(s, t0);
      stream.write(`[batch-render] ${s.phase} ${s.done}/${s.total} frames, ${fps.toFixed(1)} frames/s, ETA ${eta.toFixed(0)} s, fallback ${s.fallback}, failed ${s.failed}\n`);
    },
    stop() {},
    log(line) { stream.write(line + '\n'); },
  };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  const color = !process.env.NO_COLOR;
  const bar = new cliProgress.SingleBar({
    stream,
    format: `${color ? '\x1b[36m' : ''}{phase}${color ? '\x1b[0m' : ''} {bar} {value}/{total} | {fps} frames/s | ETA {eta_formatted} | fallback {fallback} | failed {failed}`,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  let started = false;
  let phase = '';
  return {
    update(s) {
      const payload = { phase: s.phase.padEnd(6), fps: rate(s, t0).fps.toFixed(1), fallback: s.fallback, failed: s.failed };
      if (!started || phase !== s.phase) {
        if (started) bar.stop();
        bar.start(s.total, s.done, payload);
        started = true; phase = s.phase;
      } else bar.update(s.done, payload);
    },
    stop() { if (started) bar.stop(); started = false; },
    log(line) { stream.write(line + '\n'); },
  };
}

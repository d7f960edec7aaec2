/**
 * An X display for headless-gl, which creates its context through GLX.
 * Uses $DISPLAY when set; otherwise starts a private Xvfb that dies with us.
 */
import { execa, type ResultPromise } from 'execa';
import { configError } from '../../errors.js';

export interface DisplayHandle {
  /** e.g. ':99' */
  display: string;
  /** true when we started Xvfb (and `stop` will end it). */
  started: boolean;
  /** Xvfb's pid when started by us. */
  pid?: number;
  /** Ends our Xvfb and unsets DISPLAY if it is still ours; no-op otherwise. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const XVFB_ARGS = ['-screen', '0', '1280x1024x24', '-nolisten', 'tcp'];
/** Starts Xvfb "$@", then ends it (and waits for it) when stdin closes or on TERM/INT/HUP. */
const XVFB_GUARD = 'command -v Xvfb >/dev/null || exit 127; Xvfb "$@" & x=$!; trap \'kill $x 2>/dev/null; wait $x; exit 0\' TERM INT HUP; read _ || true; kill $x 2>/dev/null; wait $x';

export async function ensureDisplay(): Promise<DisplayHandle> {
  const existing = process.env.DISPLAY;
  if (existing) return { display: existing, started: false, stop: async () => {} };

  // -displayfd: Xvfb picks a free display itself and writes its number once it
  // accepts connections, so no race over lock files and no polling.
  // Xvfb runs under a tiny sh that holds our pipe on its stdin: when this
  // process dies, even by SIGKILL, the pipe closes, `read` returns and Xvfb is
  // ended. detached: its own process group, so a Ctrl-C in the terminal does
  // not end the display under frames still being drawn; we end it ourselves.
  const proc = execa('sh', ['-c', XVFB_GUARD, 'sh', '-displayfd', '1', ...XVFB_ARGS], {
    detached: true,
    cleanup: false,
    buffer: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
  });
  const stderrTail: string[] = [];
  // Drain stderr so Xvfb never blocks on a full pipe; keep the end for errors.
  proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderrTail.push(s);
    if (stderrTail.length > 20) stderrTail.shift();
  });

  let display: string;
  try {
    display = `:${await readDisplayNumber(proc)}`;
  } catch (err) {
    proc.kill('SIGKILL');
    await proc;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (await proc).exitCode === 127) {
      throw configError('Xvfb not found: install it (apt-get install xvfb) or set DISPLAY to a running X server', err);
    }
    const tail = stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
    throw configError(`Xvfb did not start: ${(err as Error).message}${tail ? ` (${tail})` : ''}`, err);
  }
  proc.stdout?.resume(); // nothing more comes, but never let it back up

  // A sync kill in 'exit' always runs; the stdin guard covers SIGKILL.
  const onExit = () => proc.kill('SIGTERM');
  process.once('exit', onExit);
  process.env.DISPLAY = display;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.off('exit', onExit);
      if (process.env.DISPLAY === display) delete process.env.DISPLAY;
      proc.stdin?.end();
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await proc;
      clearTimeout(timer);
    })());

  return { display, started: true, pid: proc.pid, stop };
}

/** Resolves with the number Xvfb writes to -displayfd; rejects on exit, spawn failure or timeout. */
function readDisplayNumber(proc: ResultPromise): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error(`no display number after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onData = (s: string) => {
      text += s;
      const m = /^(\d+)\n/.exec(text);
      if (m) done(undefined, Number(m[1]));
    };
    const done = (err?: Error, n?: number) => {
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      if (err) reject(err);
      else resolve(n!);
    };
    proc.stdout?.setEncoding('utf8').on('data', onData);
    // With reject: false the promise resolves with the result, or with an error result on spawn failure.
    proc.then(
      (r) => {
        const cause = (r as { cause?: unknown }).cause as NodeJS.ErrnoException | undefined;
        if (cause?.code === 'ENOENT') done(Object.assign(new Error('spawn Xvfb ENOENT'), { code: 'ENOENT' }));
        else done(new Error(`Xvfb exited early (${r.signal ?? `exit code ${r.exitCode}`})`));
      },
      (e: Error) => done(e),
    );
  });
}

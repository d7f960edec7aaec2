import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { BatchRenderError } from '../../src/errors.js';
import { ensureDisplay } from '../../src/render/glx/start-xvfb.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (!alive(pid)) return true;
  return !alive(pid);
}

/** Runs `body` with DISPLAY unset and PATH changed as given, restoring both. */
async function withEnv<T>(env: { PATH?: string }, body: () => Promise<T>): Promise<T> {
  const saved = { DISPLAY: process.env.DISPLAY, PATH: process.env.PATH };
  delete process.env.DISPLAY;
  if (env.PATH !== undefined) process.env.PATH = env.PATH;
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const hasXvfb = (await execa('sh', ['-c', 'command -v Xvfb'], { reject: false })).exitCode === 0;

test('missing Xvfb is a CONFIG error with the install hint', async () => {
  await withEnv({ PATH: '/nonexistent' }, async () => {
    await assert.rejects(ensureDisplay(), (err: unknown) =>
      err instanceof BatchRenderError && err.code === 'CONFIG' && /apt-get install xvfb/.test(err.message) && !err.message.includes('\n'));
  });
});

test('an existing DISPLAY is used as is', async () => {
  const saved = process.env.DISPLAY;
  process.env.DISPLAY = ':4242';
  try {
    const d = await ensureDisplay();
    assert.deepEqual([d.display, d.started], [':4242', false]);
    await d.stop();
    assert.equal(process.env.DISPLAY, ':4242');
  } finally {
    if (saved === undefined) delete process.env.DISPLAY; else process.env.DISPLAY = saved;
  }
});

test('private Xvfb starts, sets DISPLAY, and stop() ends it', { skip: !hasXvfb && 'Xvfb not installed' }, async () => {
  await withEnv({}, async () => {
    const d = await ensureDisplay();
    assert.ok(d.started && d.pid !== undefined);
    assert.match(d.display, /^:\d+$/);
    assert.equal(process.env.DISPLAY, d.display);
    assert.ok(alive(d.pid!));
    await d.stop();
    await d.stop(); // idempotent
    assert.ok(await waitGone(d.pid!), 'Xvfb still running after stop()');
    assert.equal(process.env.DISPLAY, undefined);
  });
});

// A child process starts Xvfb, reports its pid, then ends in the given way; Xvfb must not outlive it.
for (const ending of ['exit', 'throw', 'SIGTERM', 'SIGINT'] as const) {
  test(`Xvfb dies with its parent (${ending})`, { skip: !hasXvfb && 'Xvfb not installed' }, async () => {
    const mod = new URL('../../src/render/glx/start-xvfb.js', import.meta.url).href;
    const script = `
      const { ensureDisplay } = await import(${JSON.stringify(mod)});
      const d = await ensureDisplay();
      console.log(d.pid);
      const ending = ${JSON.stringify(ending)};
      if (ending === 'exit') process.exit(0);
      if (ending === 'throw') throw new Error('boom');
      setInterval(() => {}, 1000); // wait for the signal
    `;
    const env = { ...process.env };
    delete env.DISPLAY;
    const child = execa(process.execPath, ['--input-type=module', '-e', script], { env, extendEnv: false, reject: false, buffer: false, stdout: 'pipe' });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        const m = /^(\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.then(() => (/^\d+\n/.test(out) ? undefined : reject(new Error(`child ended before reporting: ${out}`))));
    });
    if (ending === 'SIGTERM' || ending === 'SIGINT') child.kill(ending);
    await child;
    assert.ok(await waitGone(pid), `Xvfb ${pid} outlived its parent (${ending})`);
  });
}

/**
 * `batch-render view DIR...`: serves output directories in the local viewer
 * until Ctrl-C. `main` takes the arguments after the word `view`.
 */
import { spawn } from 'node:child_process';
import { BatchRenderError, exitCodeOf } from '../errors.js';
import { parseViewArgs, type ViewOptions } from './parse-view-args.js';
import { loadSequences } from './load-sequences.js';
import { createServer } from './create-server.js';

export interface RunningViewer { url: string; port: number; close(): Promise<void> }

export async function startViewer(o: ViewOptions): Promise<RunningViewer> {
  const { probeVideo } = await import('../video/probe-video.js');
  const sequences = await loadSequences(o.dirs, o.videos, async (p) => (await probeVideo(p)).fps);
  const app = await createServer({ sequences, token: o.token });
  try {
    await app.listen({ port: o.port, host: o.host });
  } catch (err) {
    throw new BatchRenderError('CONFIG', `view: cannot listen on ${o.host}:${o.port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return { url: `http://${shown}:${port}/`, port, close: () => app.close() };
}

export async function main(argv: string[]): Promise<number> {
  let viewer: RunningViewer;
  try {
    const parsed = parseViewArgs(argv);
    if (parsed.kind === 'exit') { process.stdout.write(parsed.output); return parsed.code; }
    viewer = await startViewer(parsed.options);
    const link = parsed.options.token ? `${viewer.url}?token=${encodeURIComponent(parsed.options.token)}` : viewer.url;
    process.stdout.write(`batch-render view: serving ${parsed.options.dirs.length} director${parsed.options.dirs.length === 1 ? 'y' : 'ies'} at ${link} (Ctrl-C to stop)\n`);
    if (parsed.options.open) openBrowser(link);
  } catch (err) {
    process.stderr.write(`batch-render: ${err instanceof BatchRenderError ? err.message : `internal error: ${(err as Error).stack ?? err}`}\n`);
    return exitCodeOf(err);
  }
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await viewer.close();
  return 0;
}

/** Best effort: a desktop may lack xdg-open; the URL is printed anyway. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`batch-render view: could not start ${cmd}; open ${url} yourself\n`));
    child.unref();
  } catch {
    // the URL is on stdout
  }
}

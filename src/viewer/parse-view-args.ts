/**
 * `batch-render view DIR... [--port 0] [--host 127.0.0.1] [--video FILE] [--open] [--token T]`
 * → options. Pure: throws a usageError with one precise line; never exits.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { usageError } from '../errors.js';

export interface ViewOptions {
  dirs: string[];
  port: number;
  host: string;
  /** Source videos, one per DIR in order (fewer is fine). */
  videos: string[];
  open: boolean;
  token: string | null;
}

export type ParsedView = { kind: 'run'; options: ViewOptions } | { kind: 'exit'; code: number; output: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string) => LOOPBACK.has(host.toLowerCase());

/** A token shorter than this is guessable over a network. */
const MIN_TOKEN = 16;

function port(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) > 65535) throw new InvalidArgumentError(`Expected a port 0..65535 but received ${JSON.stringify(s)}`);
  return Number(s);
}

export function parseViewArgs(argv: string[]): ParsedView {
  let output = '';
  const program = new Command('batch-render view')
    .description('Serve output directories in a local viewer: the report, the video and the mesh of each frame.')
    .argument('<dir...>', 'output directories (each with render_report.json)')
    .option('--port <n>', 'port (0: any free port)', port, 0)
    .option('--host <host>', 'address to bind; anything but loopback needs --token', '127.0.0.1')
    .option('--video <file>', 'source video shown beside the mesh (repeat: one per DIR, in order)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--open', 'open the index page in the default browser', false)
    .option('--token <t>', `access token (at least ${MIN_TOKEN} characters); required when --host is not loopback`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => { output += s; }, writeErr: (s) => { output += s; } })
    .helpOption('-h, --help');
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) {
      return { kind: 'exit', code: 0, output };
    }
    throw usageError(`view: ${(err as Error).message.replace(/^error: /, '')}`);
  }
  const o = program.opts<{ port: number; host: string; video: string[]; open: boolean; token?: string }>();
  const dirs = program.args;
  if (o.video.length > dirs.length) throw usageError(`view: ${o.video.length} --video files for ${dirs.length} director${dirs.length === 1 ? 'y' : 'ies'}`);
  const token = o.token ?? null;
  if (token !== null && token.length < MIN_TOKEN) throw usageError(`view: --token must be at least ${MIN_TOKEN} characters`);
  if (!isLoopback(o.host) && token === null) throw usageError(`view: --host ${o.host} is reachable from other machines; give --token T (or bind 127.0.0.1)`);
  return { kind: 'run', options: { dirs, port: o.port, host: o.host, videos: o.video, open: o.open, token } };
}

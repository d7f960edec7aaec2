/**
 * Writes a demo sequence of OSX-style per-frame NPZ files.
 *
 *   node dist/scripts/make-demo-data.js [--out demo_data] [--frames 300] [--seed N]
 *     [--no-failures] [--shapes flat|mixed] [--names params|plain] [--ground-truth FILE]
 *
 * Prints one summary line of counts per check on stdout.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { writeDemoSequence, type DemoSequenceOptions } from '../src/demo-data/write-sequence.js';

export interface MakeDemoArgs {
  out: string;
  options: DemoSequenceOptions;
}

/** Pure argv → options; throws TypeError with a precise message on a bad value. */
export function parseMakeDemoArgs(argv: string[]): MakeDemoArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'demo_data' },
      frames: { type: 'string', default: '300' },
      seed: { type: 'string', default: '0' },
      'no-failures': { type: 'boolean', default: false },
      shapes: { type: 'string' },
      names: { type: 'string', default: 'params' },
      'ground-truth': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, s: string, min: number) => {
    if (!/^\d+$/.test(s) || Number(s) < min) throw new TypeError(`Expected an integer >= ${min} for --${name} but received ${JSON.stringify(s)}`);
    return Number(s);
  };
  const oneOf = <T extends string>(name: string, s: string, allowed: readonly T[]): T => {
    if (!(allowed as readonly string[]).includes(s)) throw new TypeError(`Expected one of ${allowed.join(', ')} for --${name} but received ${JSON.stringify(s)}`);
    return s as T;
  };
  const failures = !values['no-failures'];
  return {
    out: values.out,
    options: {
      frames: int('frames', values.frames, 1),
      seed: int('seed', values.seed, 0),
      failures,
      // A demo with failures also shows the shape and dtype variations users send.
      shapes: oneOf('shapes', values.shapes ?? (failures ? 'mixed' : 'flat'), ['flat', 'mixed'] as const),
      names: oneOf('names', values.names, ['params', 'plain'] as const),
      groundTruthPath: values['ground-truth'],
    },
  };
}

async function main(): Promise<void> {
  let args: MakeDemoArgs;
  try {
    args = parseMakeDemoArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`make-demo-data: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  const truth = await writeDemoSequence(args.out, args.options);
  const secs = ((performance.now() - t0) / 1000).toFixed(2);
  const counts = Object.entries(truth.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write(`make-demo-data: ${truth.frameCount} frames in ${args.out} (seed ${truth.seed}, ${secs} s): ${counts}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`make-demo-data: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}

/**
 * CLI entry: parse, run, summarise, set the exit status. Heavy modules load
 * lazily so --help and --version are instant. process.exitCode is set rather
 * than calling process.exit mid-flight, except on a second Ctrl-C.
 */
import { parseRunOptions } from '../config/parse-run-options.js';
import { BatchRenderError, exitCodeOf } from '../errors.js';

/** Front doors other than a render run: each module exports main(argv) → exit code. */
const SUBCOMMANDS: Record<string, string> = {
  view: '../viewer/view-command.js',
  serve: '../service/serve-command.js',
  worker: '../service/worker-command.js',
  merge: '../pipeline/merge-command.js',
};

async function main(argv: string[]): Promise<number> {
  const sub = SUBCOMMANDS[argv[0]];
  if (sub) {
    // A variable specifier: these modules load only when their command runs.
    const mod = (await import(sub)) as { main(argv: string[]): Promise<number> };
    return mod.main(argv.slice(1));
  }
  let parsed;
  try {
    parsed = parseRunOptions(argv);
  } catch (err) {
    process.stderr.write(`batch-render: ${(err as Error).message}\n`);
    return exitCodeOf(err);
  }
  if (parsed.kind === 'exit') {
    process.stdout.write(parsed.output);
    return parsed.code;
  }
  const { options, provenance } = parsed;
  const [{ createProgress }, { runCommand }, { formatSummary }] = await Promise.all([
    import('../report/progress.js'), import('./run-command.js'), import('../report/summary.js'),
  ]);
  const progress = createProgress({ json: options.json });
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      abort.abort();
      progress.log('batch-render: stopping — finishing frames in flight and writing the report (Ctrl-C again to quit at once)');
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const outcome = await runCommand(options, provenance, { signal: abort.signal, progress });
    progress.stop();
    emitSummary(outcome.report, options.outputDir, outcome.reportPath, options.json, formatSummary);
    return outcome.exitCode;
  } catch (err) {
    progress.stop();
    const outcome = (err as { outcome?: { report: unknown; reportPath: string } }).outcome;
    if (outcome) emitSummary(outcome.report as never, options.outputDir, outcome.reportPath, options.json, formatSummary);
    const msg = err instanceof BatchRenderError ? err.message : `internal error: ${(err as Error).stack ?? err}`;
    if (options.json) process.stdout.write(JSON.stringify({ event: 'error', code: (err as BatchRenderError).code ?? 'INTERNAL', message: msg }) + '\n');
    process.stderr.write(`batch-render: ${msg}\n`);
    return exitCodeOf(err);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function emitSummary(report: Parameters<typeof import('../report/summary.js').formatSummary>[0], outDir: string, reportPath: string, json: boolean,
  format: typeof import('../report/summary.js').formatSummary): void {
  if (json) {
    process.stdout.write(JSON.stringify({ event: 'summary', totals: report.totals, reasons: report.reasons, missing_rate: report.missing_rate,
      video: report.video, timing: report.timing, exit_code: report.exit_code, report: reportPath }) + '\n');
  } else {
    process.stderr.write(format(report, outDir, reportPath) + '\n');
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err) => {
  process.stderr.write(`batch-render: internal error: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});

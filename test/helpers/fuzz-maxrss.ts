/**
 * Preloaded into the CLI under test (NODE_OPTIONS=--import) to record the
 * process's peak resident memory at exit: child_process gives no rusage, and
 * sampling /proc misses a short peak. Writes `<FUZZ_MAXRSS_DIR>/<pid>.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FUZZ_MAXRSS_DIR;
if (dir) {
  process.on('exit', () => {
    // maxRSS is in kilobytes.
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, argv: process.argv.slice(1) }));
  });
}

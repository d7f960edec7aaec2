/**
 * Screenshots of the real pages. Always taken (into the test's temp folder);
 * copied to docs/images when UPDATE_SCREENSHOTS=1, so a plain test run never
 * changes the working tree.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { repoRoot } from '../helpers/paths.js';

export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(repoRoot, 'docs/images'), { recursive: true });
    copyFileSync(path, join(repoRoot, 'docs/images', name));
  }
  return path;
}

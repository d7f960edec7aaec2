/**
 * Debian's chromium driven by puppeteer-core (no browser download). A
 * missing chromium fails the test with the reason: these checks never pass
 * without a real browser.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = process.env.BATCH_RENDER_CHROMIUM ?? '/usr/bin/chromium';

export interface TestBrowser { browser: Browser; close(): Promise<void> }

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set BATCH_RENDER_CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'br-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--autoplay-policy=no-user-gesture-required'],
    defaultViewport: { width: 1280, height: 1000 },
  });
  return { browser, close: async () => { await browser.close(); rmSync(profile, { recursive: true, force: true }); } };
}

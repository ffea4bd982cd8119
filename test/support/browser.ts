/** What every browser test shares: where Chromium is, whether it must be there, how it is started, the axe check. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium (apt-get install chromium fonts-liberation); `npx playwright install` cannot download here. */
export const CHROMIUM = '/usr/bin/chromium';
/** In CI (and with REQUIRE_ALL_TESTS=1) a missing Chromium fails the browser tests instead of skipping them. */
export const chromiumRequired = process.env.CI === 'true' || process.env.REQUIRE_ALL_TESTS === '1';
/** Headless, no sandbox (containers), nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/**
 * `describe` when Chromium is installed. Without it, a test named after the suite is skipped with a line saying
 * what to install, or, in CI, fails: CI must run every browser test.
 */
export function describeInChromium(title: string, suite: () => void): void {
  if (fs.existsSync(CHROMIUM)) {
    describe(title, suite);
    return;
  }
  const missing = `${CHROMIUM} was not found: the browser tests need Debian's Chromium (apt-get install chromium fonts-liberation)`;
  if (chromiumRequired) test(`${title}: needs Chromium`, () => { throw new Error(`${missing}; CI must run them.`); });
  else test(title, { skip: missing }, () => {});
}

export const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core on the page as it is now: fails listing every WCAG 2.1 A/AA rule broken, by element. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const report = violations.flatMap((v) => v.nodes.map((n) => `- ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${v.help}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`));
  assert.equal(violations.length, 0, `axe found ${violations.length} WCAG 2.1 AA rule(s) broken by ${report.length} element(s) on ${label} (${page.url()}):\n${report.join('\n')}`);
}

/** Launches Chromium with a fresh profile; the returned close() also removes the profile. */
export async function launchChromium(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

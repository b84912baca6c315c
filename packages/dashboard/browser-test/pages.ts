import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser.js';

/** The tab a fresh browser opened with (or a new one). */
export async function firstTab(browser: Browser): Promise<Page> {
  return browser.context.pages()[0] ?? (await browser.context.newPage());
}

/**
 * Collect the tab's uncaught exceptions and, with `console`, its console errors into `into`
 * (`console` may filter out an error the test expects).
 */
export function collectErrors(
  tab: Page,
  into: string[],
  console: boolean | ((text: string) => boolean) = true,
): Page {
  tab.on('pageerror', (error) => into.push(error.message));
  if (console !== false)
    tab.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (console === true || console(message.text())) into.push(message.text());
    });
  return tab;
}

/** Type `token` into the login form and press Log in. */
export async function submitToken(tab: Page, token: string): Promise<void> {
  await tab.getByLabel('Admin token').fill(token);
  await tab.getByRole('button', { name: 'Log in' }).click();
}

/** Log in with `token` and wait for the page it lands on (`Overview` unless the URL asked for another). */
export async function logIn(tab: Page, token: string, landing = 'Overview'): Promise<void> {
  await submitToken(tab, token);
  await tab.getByRole('heading', { level: 1, name: landing }).waitFor();
}

/** Follow the navigation link `label` (the navigation is named `pages`) and wait for its heading. */
export async function openPage(tab: Page, label: string, pages = 'Pages'): Promise<void> {
  await tab.getByRole('navigation', { name: pages }).getByRole('link', { name: label, exact: true }).click();
  await tab.getByRole('heading', { level: 1, name: label }).waitFor();
}

/**
 * A fresh browser on the dashboard at `origin` (no token asked: a token-less admin API), its errors
 * collected into `errors` (see `collectErrors`), once the Overview is shown.
 */
export async function openDashboard(
  origin: string,
  errors: string[],
  console: Parameters<typeof collectErrors>[2] = true,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchBrowser();
  const page = collectErrors(await firstTab(browser), errors, console);
  await page.goto(origin);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  return { browser, page };
}

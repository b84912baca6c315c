import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser.js';
import { startFakeAdminApi, type FakeAdminApi } from './fake-admin-api.js';
import { collectErrors, firstTab, submitToken } from './pages.js';

let api: FakeAdminApi;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const OLD = 'Bearer token-before-the-restart';
const NEW = 'Bearer token-after-the-restart';

async function logIn(token: string): Promise<void> {
  await submitToken(page, token);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** The API requests (not the page's files) that reached the fake admin API from `index` on. */
const apiRequestsSince = (index: number) =>
  api.requests.slice(index).filter((request) => request.path.startsWith('/api/'));

describe('a tab whose token stops working stops sending it (the login limiter would lock its address out)', () => {
  beforeAll(async () => {
    api = await startFakeAdminApi();
    api.auth.token = OLD.slice('Bearer '.length);
    browser = await launchBrowser();
    page = collectErrors(await firstTab(browser), errors, false);
    await page.goto(api.origin);
    await logIn(api.auth.token);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
  });

  it('on a 403 it shows the login, forgets the token and polls nothing more', async () => {
    // The Events page holds a stream open while the overview sampler polls in the background.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    await expect
      .poll(() => apiRequestsSince(0).filter((r) => r.authorization === OLD).length)
      .toBeGreaterThan(2);

    // The gateway restarts with another token: the old one is now wrong (403).
    const changed = api.requests.length;
    api.auth.token = NEW.slice('Bearer '.length);
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    const switched = api.requests.length;
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    // Three sampler periods: a stale tab used to send the old token every 2 s, forever.
    await page.waitForTimeout(6500);
    expect(apiRequestsSince(switched).filter((r) => r.authorization === OLD)).toEqual([]);
    expect(apiRequestsSince(switched).map((r) => r.path)).toEqual([]);
    // Only a handful of wrong tokens reached the API in all: those already on their way at the switch.
    expect(apiRequestsSince(changed).filter((r) => r.authorization === OLD).length).toBeLessThanOrEqual(3);
  });

  it('logs in with the new token and polls again; logging out stops the polling too', async () => {
    await logIn(NEW.slice('Bearer '.length));
    const loggedIn = api.requests.length;
    await expect
      .poll(() => apiRequestsSince(loggedIn).filter((r) => r.path === '/api/adapters').length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(1);
    expect(apiRequestsSince(loggedIn).every((r) => r.authorization === NEW)).toBe(true);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    const loggedOut = api.requests.length;
    await page.waitForTimeout(4500);
    expect(apiRequestsSince(loggedOut)).toEqual([]);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('threw no error in the page', () => {
    expect(errors).toEqual([]);
  });
});

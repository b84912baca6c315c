import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Browser } from './browser.js';
import { startFakeAdminApi, type FakeAdminApi } from './fake-admin-api.js';
import { openDashboard } from './pages.js';

const OUTPUT = new URL('../test-output/', import.meta.url).pathname;

let api: FakeAdminApi;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const row = (name: string) => page.getByTestId('adapters').locator(`tr[data-adapter="${name}"]`);

function adapter(name: string, kind: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    kind,
    enable: true,
    status: 'running',
    connections: 0,
    eventsSent: 0,
    actionsHandled: 0,
    errors: 0,
    ...extra,
  };
}

describe('the overview: connected peers, retry countdowns, the console counted in actions/s (a scripted admin API)', () => {
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    api = await startFakeAdminApi();
    const since = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    api.adapters.current = [
      adapter('ws', 'websocketServers', {
        address: '127.0.0.1:3001',
        connections: 5,
        peers: [
          { remote: '127.0.0.1:50001', role: 'universal', since: since(125) },
          { remote: '127.0.0.1:50002', role: 'event', since: since(60) },
          { remote: '127.0.0.1:50003', role: 'api', since: since(30) },
          { remote: '127.0.0.1:50004', role: 'universal', since: since(20) },
          { remote: '127.0.0.1:50005', role: 'universal', since: since(10) },
        ],
      }),
      adapter('reverse', 'websocketClients', {
        url: 'ws://127.0.0.1:9/onebot',
        lastError: 'connect ECONNREFUSED 127.0.0.1:9',
        nextRetryAt: new Date(Date.now() + 30_000).toISOString(),
      }),
      adapter('bot', 'websocketClients', {
        url: 'ws://127.0.0.1:8082/',
        connections: 1,
        peers: [{ remote: 'ws://127.0.0.1:8082/', role: 'universal', since: since(5) }],
      }),
    ];
    api.config.current = {
      network: {
        websocketServers: [{ name: 'ws', enable: true, host: '127.0.0.1', port: 3001 }],
        websocketClients: [{ name: 'reverse', enable: true, url: 'ws://127.0.0.1:9/onebot' }],
      },
    };
    ({ browser, page } = await openDashboard(api.origin, errors));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
  });

  it("lists each adapter's connected peers with their role and age, the rest a keypress away", async () => {
    const peers = row('ws').getByRole('list', { name: 'Connected peers of ws' });
    await peers.waitFor();
    expect(await peers.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:50001 universal for 2m \d+s$/),
      expect.stringMatching(/^127\.0\.0\.1:50002 event for 1m \d+s$/),
      expect.stringMatching(/^127\.0\.0\.1:50003 api for 0m \d+s$/),
    ]);
    // The other two open in place, from the keyboard too.
    const more = row('ws').locator('summary', { hasText: '2 more' });
    await more.focus();
    await page.keyboard.press('Enter');
    await row('ws').locator('[data-peer="127.0.0.1:50005"]').waitFor();
    // A client adapter's peer is the URL it reached.
    expect(await row('bot').locator('[data-peer]').innerText()).toContain('ws://127.0.0.1:8082/ universal');
  });

  it('shows a client waiting to reconnect as connecting, with a live countdown to the next attempt', async () => {
    expect(await row('reverse').locator('[data-status]').getAttribute('data-status')).toBe('connecting');
    expect(await row('reverse').innerText()).toContain('connect ECONNREFUSED 127.0.0.1:9');
    const countdown = row('reverse').getByTestId('retry-countdown');
    const seconds = async () => Number(/next retry in (\d+) s/.exec(await countdown.innerText())?.[1]);
    const first = await seconds();
    expect(first).toBeGreaterThan(20);
    expect(first).toBeLessThanOrEqual(30);
    // It moves between the 2 s polls, once a second.
    await expect.poll(seconds, { timeout: 5000 }).toBeLessThan(first);
    expect(await row('ws').locator('[data-status]').getAttribute('data-status')).toBe('running');
  });

  it("shows the same on the client's Network card", async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Network' }).click();
    const card = page.locator('[data-adapter-card="reverse"]');
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('connecting');
    await card
      .getByTestId('retry-countdown')
      .getByText(/^next retry in \d+ s$/)
      .waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  });

  it("counts the action console's calls in actions/s", async () => {
    expect(await page.getByTestId('actions-rate').innerText()).toBe('0.0');
    for (let i = 0; i < 10; i++) {
      await fetch(`${api.origin}/api/actions/get_status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    }
    await expect
      .poll(async () => Number(await page.getByTestId('actions-rate').innerText()), { timeout: 10_000 })
      .toBeGreaterThan(0);
  });

  it('counts each event the backend published once in events/s, however many adapters sent it', async () => {
    expect(await page.getByText('Events published/s').count()).toBe(1);
    // 10 events a second, each delivered by all three adapters: 30 "sent" a second, 10 published.
    const traffic = setInterval(() => {
      api.eventsPublished.current += 1;
      for (const row of api.adapters.current) row.eventsSent = Number(row.eventsSent) + 1;
    }, 100);
    try {
      const rate = async () => Number(await page.getByTestId('events-rate').innerText());
      await expect.poll(rate, { timeout: 10_000 }).toBeGreaterThan(5);
      // Two more samples, to be sure the steady rate is the published one and not three times it.
      await page.waitForTimeout(4000);
      expect(await rate()).toBeGreaterThan(5);
      expect(await rate()).toBeLessThan(15);
    } finally {
      clearInterval(traffic);
    }
  });

  it('fits a phone, and says it in Chinese', async () => {
    await page.screenshot({ path: `${OUTPUT}overview-peers-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${OUTPUT}overview-peers-phone.png`, fullPage: true });
    expect(
      await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(1);
    await page.getByLabel('Language').selectOption('zh-CN');
    await row('reverse')
      .getByText(/^\d+ 秒后重试$/)
      .waitFor();
    expect(await row('ws').getByRole('list', { name: 'ws 的已连接对端' }).innerText()).toContain('已连接 2m');
    await page.getByLabel('语言').selectOption('en');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logged no error', () => {
    expect(errors).toEqual([]);
  });
});

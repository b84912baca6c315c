import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser.js';
import { startGateway, type RunningGateway } from './gateway-process.js';
import { firstTab, logIn, openPage } from './pages.js';

const ADMIN_TOKEN = 'admin-token-for-the-zh-cn-test';
/** The chunk with the Chinese schema texts (schema-text-zh.ts), whatever its content hash. */
const ZH_CHUNK = /\/assets\/schema-text-zh-[^/]+\.js$/;

let gateway: RunningGateway;
let browser: Browser;
const problems: string[] = [];

/** A tab whose console errors land in `problems` and whose requested files land in `requested`. */
function watch(tab: Page, requested: string[]): Page {
  tab.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${tab.url()}: ${message.text()}`);
  });
  tab.on('pageerror', (error) => problems.push(`${tab.url()}: ${error.message}`));
  tab.on('request', (request) => requested.push(new URL(request.url()).pathname));
  return tab;
}

describe('the dashboard in a browser whose language is zh-CN, against the real gateway', () => {
  beforeAll(async () => {
    gateway = await startGateway({
      network: { httpServers: [{ name: 'api', enable: true, host: '127.0.0.1', port: 0 }] },
      gateway: { admin: { host: '127.0.0.1', port: 0, token: ADMIN_TOKEN } },
    });
    browser = await launchBrowser({ locale: 'zh-CN' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
  });

  it('picks Chinese without the switch and shows the schema descriptions in Chinese', async () => {
    const requested: string[] = [];
    const tab = watch(await firstTab(browser), requested);
    await tab.goto(gateway.origin);

    // Chinese from the first view: the browser's language, nothing saved, the switch untouched.
    await tab.getByLabel('管理令牌').fill(ADMIN_TOKEN);
    expect(await tab.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await tab.locator('#language').inputValue()).toBe('zh-CN');
    expect(await tab.evaluate(`localStorage.getItem('onebot-gateway.language')`)).toBeNull();
    await tab.getByRole('button', { name: '登录' }).click();
    await tab.getByRole('heading', { level: 1, name: '概览' }).waitFor();

    // Network: a field's description from the config schema, in Chinese, as the input's description.
    await openPage(tab, '网络配置', '页面');
    const card = tab.locator('[data-adapter-card="api"]');
    await card.getByRole('button', { name: '编辑' }).click();
    const port = card.getByLabel('port', { exact: true });
    await port.waitFor();
    const portHelp = await port.getAttribute('aria-describedby');
    expect(await tab.locator(`[id="${portHelp}"]`).innerText()).toBe('监听端口（0 = 任意空闲端口）。');
    await card.getByText('推送事件的消息格式："array"（消息段数组）或 "string"（CQ 码）。').waitFor();

    // Actions: the picked action's description and its params' descriptions, in Chinese.
    await openPage(tab, '动作', '页面');
    await tab
      .getByText('向好友发送私聊消息（给出 group_id 时，发送来自该群的临时会话消息）。', { exact: true })
      .waitFor();
    await tab.getByText('扩展：以来自此群的临时会话发送。', { exact: true }).waitFor();
    await tab.getByRole('button', { name: 'set_group_ban', exact: true }).click();
    await tab.getByText('禁言群成员若干秒（0 表示解除禁言）。', { exact: true }).waitFor();
    expect(requested.filter((path) => ZH_CHUNK.test(path))).toHaveLength(1);

    // The switch back to English shows the gateway's own English texts (the page starts over, on
    // its first action).
    await tab.locator('#language').selectOption('en');
    await tab.getByRole('heading', { level: 1, name: 'Actions' }).waitFor();
    await tab.getByText('Extension: send as a temporary session from this group.', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });

  it('does not load the Chinese texts on an English page', async () => {
    // English is saved in this browser now (the switch above): a new tab starts in English.
    const requested: string[] = [];
    const tab = watch(await browser.context.newPage(), requested);
    await tab.goto(`${gateway.origin}/actions`);
    await logIn(tab, ADMIN_TOKEN, 'Actions');
    await tab
      .getByText('Send a private message to a friend (or, with group_id, a temporary chat from that group).')
      .waitFor();
    expect(requested.filter((path) => ZH_CHUNK.test(path))).toEqual([]);
    expect(problems).toEqual([]);
    await tab.close();
  });
});

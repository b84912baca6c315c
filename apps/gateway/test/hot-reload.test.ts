import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useGatewayProcesses } from './support/fixture.js';
import { gatewayConfig, until, type GatewayProcess } from './support/gateway-process.js';
import type { TestWsClient } from './support/ws-client.js';

const ALICE = 10001;
const GROUP = 20001;

describe('hot reload of the real process', () => {
  const fixture = useGatewayProcesses();
  let gateway: GatewayProcess;

  /** A client on the named adapter, once it saw its lifecycle connect. */
  async function ws(name: string): Promise<TestWsClient> {
    const client = await fixture.connect(gateway, name);
    await client.next((f) => f.sub_type === 'connect');
    return client;
  }

  async function simulate(text: string): Promise<number> {
    const { body } = await gateway.post<{ message_id: number }>('/api/sandbox/messages', {
      message_type: 'group',
      user_id: ALICE,
      group_id: GROUP,
      message: text,
    });
    return body.message_id;
  }

  function appliedCount(): number {
    return gateway.logs.filter((line) => /^config applied/.test(line.msg)).length;
  }

  it('applies a change by name and keeps untouched connections; ignores an invalid change', async () => {
    const network = {
      websocketServers: [
        { name: 'keep', enable: true, port: 0 },
        { name: 'change', enable: true, port: 0 },
      ],
      httpServers: [{ name: 'remove', enable: true, port: 0 }],
    };
    gateway = await fixture.spawn(gatewayConfig(network));
    const kept = await ws('keep');
    const changed = await ws('change');

    await gateway.writeConfig(
      gatewayConfig({
        websocketServers: [
          { name: 'keep', enable: true, port: 0 },
          { name: 'change', enable: true, port: 0, messagePostFormat: 'string' },
          { name: 'added', enable: true, port: 0 },
        ],
      }),
    );
    await until(() => appliedCount() === 1, 'the change to be applied');
    const names = (
      await gateway.admin<{ adapters: Array<{ name: string; status: string }> }>('/api/adapters')
    ).body.adapters;
    expect(names.map((a) => [a.name, a.status])).toEqual([
      ['keep', 'running'],
      ['change', 'running'],
      ['added', 'running'],
    ]);
    expect(gateway.logs.find((l) => /^config applied/.test(l.msg))).toMatchObject({
      started: ['added'],
      stopped: ['remove'],
      reloaded: ['change'],
      unchanged: ['keep'],
    });

    const added = await ws('added');
    const firstId = await simulate('after reload');
    // The untouched connection is the same socket and still gets events.
    expect(await kept.next((f) => f.message_id === firstId)).toMatchObject({ raw_message: 'after reload' });
    expect(kept.socket.readyState).toBe(kept.socket.OPEN);
    expect(await added.next((f) => f.message_id === firstId)).toMatchObject({ message_format: 'array' });
    // The reloaded adapter speaks its new format (on its old or a new connection).
    const changedNow = changed.socket.readyState === changed.socket.OPEN ? changed : await ws('change');
    expect(await changedNow.next((f) => f.message_id === firstId)).toMatchObject({
      message: 'after reload',
      message_format: 'string',
    });

    await writeFile(
      gateway.configPath,
      JSON.stringify({ network: { websocketServers: [{ name: 'keep', enable: true, port: 'abc' }] } }),
    );
    const ignored = await gateway.waitForLog(/^config change ignored/);
    expect(ignored.msg).toMatch(/network\.websocketServers\[0\]\.port/);
    expect(appliedCount()).toBe(1);
    const secondId = await simulate('still running');
    expect(await kept.next((f) => f.message_id === secondId)).toMatchObject({ raw_message: 'still running' });
    expect((await gateway.adapter('added')).status).toBe('running');
  });

  it('ignores a change whose gateway.backend the next start would refuse, naming the key', async () => {
    gateway = await fixture.spawn(
      gatewayConfig({ websocketServers: [{ name: 'keep', enable: true, port: 0 }] }),
    );
    const kept = await ws('keep');
    // A sandbox world with a role that does not exist, plus an adapter that must not be started either.
    await gateway.writeConfig(
      gatewayConfig(
        {
          websocketServers: [
            { name: 'keep', enable: true, port: 0 },
            { name: 'added', enable: true, port: 0 },
          ],
        },
        { backend: { type: 'sandbox', groups: [{ group_id: 1, members: [{ user_id: 2, role: 'boss' }] }] } },
      ),
    );
    const ignored = await gateway.waitForLog(/^config change ignored/);
    expect(ignored.msg).toMatch(/onebot11\.json: gateway\.backend\.groups\[0\]\.members\[0\]\.role/);
    expect(ignored.level).toBe(50);
    // An upstream URL that can never work is refused the same way.
    await gateway.writeConfig(
      gatewayConfig(
        { websocketServers: [{ name: 'keep', enable: true, port: 0 }] },
        { backend: { type: 'upstream', url: 'http://127.0.0.1:1' } },
      ),
    );
    await until(
      () => gateway.logs.filter((l) => /^config change ignored/.test(l.msg)).length === 2,
      'the second change to be ignored',
    );
    expect(gateway.logs.filter((l) => /^config change ignored/.test(l.msg))[1]!.msg).toMatch(
      /gateway\.backend\.url: expected a ws:\/\/ or wss:\/\/ URL/,
    );
    expect(appliedCount()).toBe(0);
    expect(gateway.logs.some((l) => /restart the gateway to apply it/.test(l.msg))).toBe(false);
    const names = (
      await gateway.admin<{ adapters: Array<{ name: string }> }>('/api/adapters')
    ).body.adapters.map((a) => a.name);
    expect(names).toEqual(['keep']);
    const id = await simulate('still the old world');
    expect(await kept.next((f) => f.message_id === id)).toMatchObject({ raw_message: 'still the old world' });
  });

  it('follows editors that save by writing a temp file and renaming it over the config', async () => {
    gateway = await fixture.spawn(
      gatewayConfig({ websocketServers: [{ name: 'a', enable: true, port: 0 }] }),
    );
    const temp = join(gateway.dir, '.onebot11.json.swp');
    await writeFile(
      temp,
      JSON.stringify(
        gatewayConfig({
          websocketServers: [
            { name: 'a', enable: true, port: 0 },
            { name: 'b', enable: true, port: 0 },
          ],
        }),
      ),
    );
    await rename(temp, gateway.configPath);
    await until(() => appliedCount() === 1, 'the renamed file to be applied');
    expect((await gateway.adapter('b')).status).toBe('running');
    expect((await gateway.adapter('a')).status).toBe('running');
  });

  it('stays up with nothing enabled and starts an adapter once the file enables one', async () => {
    const idle = { network: {}, gateway: { admin: { enable: false }, logLevel: 'info' } };
    gateway = await fixture.spawn(idle, { waitUp: false });
    await gateway.waitForLog(/ is up/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.child.exitCode).toBeNull();
    await gateway.writeConfig({
      ...idle,
      network: { websocketServers: [{ name: 'late', enable: true, port: 0 }] },
    });
    const applied = await gateway.waitForLog(/^config applied/);
    expect(applied).toMatchObject({ started: ['late'] });
  });
});

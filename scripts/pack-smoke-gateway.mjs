/**
 * The gateway part of `pnpm check:pack` (scripts/pack-smoke.mjs): from the
 * packed tarballs installed in an empty folder, the `onebot-gateway` bin
 *   1. writes a starting config with `init` that `check` accepts;
 *   2. starts on the sandbox with a config file, answers /api/health, and
 *      exits 0 on SIGTERM;
 *   3. runs as the Docker image runs it: docker/entrypoint.sh creates the
 *      config in an empty config folder and starts the gateway on 0.0.0.0,
 *      docker/healthcheck.mjs (the image's HEALTHCHECK) passes with the
 *      admin token and fails with a wrong one, SIGTERM stops it cleanly.
 * Step 3 uses the starting config's fixed ports, so it runs in a private
 * network namespace (unshare) where it can, else only when they are free.
 * Every step has a time limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

const fail = (what) => {
  throw new Error(`gateway pack smoke FAILED: ${what}`);
};

/** A short-lived command with a time limit; returns its exit code and output. */
function runShort(command, args, options, timeoutSeconds = 60) {
  const result = spawnSync(command, args, {
    ...options,
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
  });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A gateway process: its log lines as they come, with bounded waits. */
function startProcess(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set();
  const onData = (chunk) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  /** Resolves with the first match of `pattern` in the output; fails after `seconds` or on exit. */
  function waitFor(pattern, what, seconds = 20) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`gateway pack smoke FAILED: no ${what} within ${seconds} s; output:\n${output}`));
      }, seconds * 1000);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      void exited.then(({ code }) => {
        if (!listeners.has(check)) return;
        done();
        reject(new Error(`gateway pack smoke FAILED: exited (${code}) before ${what}; output:\n${output}`));
      });
      listeners.add(check);
      check();
    });
  }

  /** SIGTERM; resolves with the exit code, or fails when it does not exit within `seconds`. */
  async function terminate(seconds = 8) {
    child.kill('SIGTERM');
    let timer;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, seconds * 1000, 'late')));
    const result = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (result === 'late') {
      child.kill('SIGKILL');
      fail(`no exit within ${seconds} s of SIGTERM; output:\n${output}`);
    }
    return result;
  }

  return { child, waitFor, terminate, output: () => output };
}

async function fetchJson(url, init) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.json() };
}

/** 1 and 2: `init`, `check`, then a run with a config file on free ports. */
export async function smokeGatewayBin({ app, env }) {
  const bin = join(app, 'node_modules', '.bin', 'onebot-gateway');
  if (!existsSync(bin)) fail(`npm did not link the bin: ${bin} is missing`);

  const init = runShort(bin, ['init', '--config', 'init/onebot11.json'], { cwd: app, env });
  if (init.code !== 0 || !/wrote .*onebot11\.json/.test(init.output)) fail(`init: ${init.output}`);
  if (!readFileSync(join(app, 'init', 'onebot11.json'), 'utf8').includes('// '))
    fail('init wrote no comments');
  const check = runShort(bin, ['check', '--config', 'init/onebot11.json'], { cwd: app, env });
  if (check.code !== 0 || !/valid/.test(check.output)) fail(`check of the init output: ${check.output}`);

  writeFileSync(
    join(app, 'onebot11.json'),
    JSON.stringify({
      network: {
        httpServers: [{ name: 'api', enable: true, port: 0 }],
        websocketServers: [{ name: 'ws', enable: true, port: 0 }],
      },
      gateway: { backend: { type: 'sandbox' }, admin: { port: 0 } },
    }),
  );
  const gateway = startProcess(bin, ['--config', 'onebot11.json'], { cwd: app, env });
  try {
    const [, admin] = await gateway.waitFor(/admin API on http:\/\/([\d.]+:\d+)/, 'admin API line');
    await gateway.waitFor(/ is up/, '"is up" line');
    const health = await fetchJson(`http://${admin}/api/health`);
    if (health.status !== 200 || health.body.status !== 'ok' || health.body.backend?.type !== 'sandbox') {
      fail(`/api/health from the bin: ${health.status} ${JSON.stringify(health.body)}`);
    }
    // The dashboard comes with the tarballs: its page and the script it names.
    const page = await fetch(`http://${admin}/`, { signal: AbortSignal.timeout(5000) });
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const asset = script && (await fetch(`http://${admin}${script}`, { signal: AbortSignal.timeout(5000) }));
    if (page.status !== 200 || !asset || asset.status !== 200) {
      fail(
        `the dashboard from the bin: / ${page.status}, ${script ?? 'no script'} ${asset ? asset.status : '-'}`,
      );
    }
  } finally {
    const { code } = await gateway.terminate();
    if (code !== 0) fail(`the bin exited ${code} on SIGTERM; output:\n${gateway.output()}`);
  }
  console.log(
    'pack smoke ok: the onebot-gateway bin ran init and check, served /api/health and the dashboard, and stopped on SIGTERM',
  );
}

/** True when a process can get a private network here (root, unshare, ip, nsenter). */
function canIsolateNetwork() {
  const works = (command, args) =>
    spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  return works('nsenter', ['--version']) && works('unshare', ['-n', 'sh', '-c', 'ip link set lo up']);
}

async function portsFree(ports) {
  for (const port of ports) {
    const server = createServer();
    const free = await new Promise((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '0.0.0.0', () => resolve(true));
    });
    if (!free) return false;
    await new Promise((resolve) => server.close(resolve));
  }
  return true;
}

/** 3: the Docker image's entrypoint and health check, outside a container, on the packed gateway. */
export async function smokeDockerEntrypoint({ app, work, env, root }) {
  const isolated = canIsolateNetwork();
  if (!isolated && !(await portsFree([3000, 3001, 3002, 6099]))) {
    console.log(
      'pack smoke SKIPPED the Docker entrypoint run: ports 3000-3002/6099 are taken and no private network (unshare) is available',
    );
    return;
  }
  // The image's layout: /app holds the gateway's node_modules, /app/docker the two scripts.
  mkdirSync(join(app, 'docker'), { recursive: true });
  for (const file of ['entrypoint.sh', 'healthcheck.mjs']) {
    copyFileSync(join(root, 'docker', file), join(app, 'docker', file));
  }
  const configDir = join(work, 'config');
  mkdirSync(configDir);
  const configPath = join(configDir, 'onebot11.json');
  const adminToken = 'pack-smoke-admin-token';
  const entryEnv = {
    ...env,
    PATH: `${join(app, 'node_modules', '.bin')}${delimiter}${env.PATH ?? ''}`,
    ONEBOT_CONFIG: configPath,
    ONEBOT_ADMIN_TOKEN: adminToken,
    ONEBOT_ACCESS_TOKEN: 'pack-smoke-access-token',
  };
  const entrypoint = join(app, 'docker', 'entrypoint.sh');
  const gateway = isolated
    ? startProcess('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', 'sh', entrypoint], {
        cwd: app,
        env: entryEnv,
      })
    : startProcess('sh', [entrypoint], { cwd: app, env: entryEnv });
  try {
    await gateway.waitFor(/admin API on http:\/\/0\.0\.0\.0:6099/, 'admin API on 0.0.0.0:6099 (token set)');
    await gateway.waitFor(/ is up/, '"is up" line');
    if (/degraded/.test(gateway.output())) fail(`the entrypoint's gateway is degraded:\n${gateway.output()}`);
    const written = readFileSync(configPath, 'utf8');
    if (!written.includes('`onebot-gateway init` (sandbox)'))
      fail(`the entrypoint did not write a starting config`);

    const healthcheck = (config) => {
      const args = [join(app, 'docker', 'healthcheck.mjs')];
      const command = isolated
        ? ['nsenter', ['-t', String(gateway.child.pid), '-n', process.execPath, ...args]]
        : [process.execPath, args];
      return runShort(command[0], command[1], { cwd: app, env: { ...entryEnv, ONEBOT_CONFIG: config } }, 20);
    };
    const healthy = healthcheck(configPath);
    if (healthy.code !== 0 || !healthy.output.startsWith('200 ')) fail(`healthcheck.mjs: ${healthy.output}`);
    // The same check with a wrong admin token must fail: it really asks the gateway.
    const wrongConfig = join(work, 'wrong-token.json');
    writeFileSync(wrongConfig, written.replace(JSON.stringify(adminToken), '"not-the-token"'));
    const refused = healthcheck(wrongConfig);
    if (refused.code !== 1 || !refused.output.startsWith('403 ')) {
      fail(`healthcheck.mjs with a wrong token should fail with 403: ${refused.output}`);
    }
  } finally {
    const { code } = await gateway.terminate();
    if (code !== 0) fail(`the entrypoint's gateway exited ${code} on SIGTERM; output:\n${gateway.output()}`);
  }
  console.log(
    `pack smoke ok: docker/entrypoint.sh created the config and ran the gateway${isolated ? ' (private network)' : ''}; the health check passed, and failed with a wrong token; SIGTERM stopped it`,
  );
}

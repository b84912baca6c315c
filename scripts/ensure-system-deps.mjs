#!/usr/bin/env node
/**
 * Installs the real components the tests drive but npm cannot provide:
 * Debian's `chromium` (the dashboard's browser tests, through playwright-core)
 * and `nats-server` (the distributed-mode tests). Nothing is downloaded from
 * anywhere but Debian's package mirror. When a component is still missing
 * afterwards this exits 1: on CI a missing component is a failure, never a
 * silent skip.
 *
 * Paths can be overridden with CHROMIUM_PATH and ONEBOT_NATS_SERVER. Chromium
 * is looked up as the browser tests do (packages/dashboard/browser-test/browser.ts):
 * CHROMIUM_PATH when set (and nothing else), else `chromium` on PATH, else
 * /usr/bin/chromium.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const components = [
  {
    debianPackage: 'chromium',
    command: process.env.CHROMIUM_PATH || 'chromium',
    fallback: '/usr/bin/chromium',
  },
  { debianPackage: 'nats-server', command: process.env.ONEBOT_NATS_SERVER ?? 'nats-server' },
];

function findExecutable(command, fallback) {
  const candidates = command.includes('/')
    ? [command]
    : [
        ...(process.env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command)),
        ...(fallback ? [fallback] : []),
      ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}

const missing = components.filter(
  (component) => findExecutable(component.command, component.fallback) === undefined,
);
if (missing.length > 0) {
  const packages = missing.map((component) => component.debianPackage);
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  console.log(`ensure-system-deps: installing ${packages.join(', ')} from Debian's packages`);
  const run = (args) => {
    const [command, ...rest] = [...prefix, ...args];
    const result = spawnSync(command, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return result.status === 0;
  };
  if (findExecutable('apt-get') !== undefined) {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  }
}

const stillMissing = components.filter(
  (component) => findExecutable(component.command, component.fallback) === undefined,
);
if (stillMissing.length > 0) {
  for (const component of stillMissing) {
    console.error(
      `ensure-system-deps: ${component.command} is missing and could not be installed ` +
        `(apt-get install ${component.debianPackage}, as root).`,
    );
  }
  process.exit(1);
}
for (const component of components) {
  const path = findExecutable(component.command, component.fallback);
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  console.log(`ensure-system-deps: ${component.debianPackage}: ${version.trim()}`);
}

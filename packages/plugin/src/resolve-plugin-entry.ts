import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OneBotError } from '@onebot-gateway/core';

export interface ResolvedPluginEntry {
  /** Absolute path of the file to import. */
  file: string;
  /** How it was found, for logs and errors. */
  source: 'path' | 'package' | 'folder';
  /**
   * The folder the plugin's own code lives in (real path), for the path and
   * folder forms; a reload drops CommonJS modules under it from the cache.
   * None for an installed package: its files are not the plugin's to refresh.
   */
  root?: string;
  /**
   * True when `root` holds this plugin alone (the folder forms). A single
   * file's folder is often the config folder, shared with other plugins:
   * then only the modules the entry itself requires are refreshed.
   */
  ownsRoot?: boolean;
}

function loadFailed(plugin: string, reason: string, cause?: unknown): OneBotError {
  return new OneBotError('PLUGIN_LOAD_FAILED', `plugin "${plugin}": ${reason}`, { cause });
}

export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Follow links and make sure the real file still lies inside `root` (also after following root's own links). */
function realPathInside(plugin: string, root: string, target: string, what: string): string {
  if (!isInside(root, target)) {
    throw loadFailed(
      plugin,
      `${what} "${target}" lies outside "${root}"; plugin paths may not leave that folder`,
    );
  }
  if (!existsSync(target)) throw loadFailed(plugin, `${what} "${target}" does not exist`);
  const realRoot = realpathSync(root);
  const realTarget = realpathSync(target);
  if (!isInside(realRoot, realTarget)) {
    throw loadFailed(plugin, `${what} "${target}" links to "${realTarget}", outside "${realRoot}"; refused`);
  }
  return realTarget;
}

/** `file:` URLs decoded properly (percent-escapes, Windows drive letters), unlike `URL.pathname`. */
function fileURLSpecifierPath(plugin: string, specifier: string): string {
  try {
    return fileURLToPath(specifier);
  } catch (error) {
    throw loadFailed(plugin, `"${specifier}" is not a valid file: URL`, error);
  }
}

function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');
}

/**
 * A plugin's name names folders (`plugins/<name>`, its data folder), so it
 * may not be a path: no separators, not "." or "..", no NUL.
 */
export function assertSafePluginName(plugin: string): void {
  if (plugin === '' || plugin === '.' || plugin === '..' || /[/\\\0]/.test(plugin)) {
    throw loadFailed(
      plugin,
      'a plugin name names its folders, so it may not contain "/", "\\" or NUL, nor be "." or ".."',
    );
  }
}

const indexFiles = ['index.mjs', 'index.js', 'index.cjs'];

function folderEntry(plugin: string, folder: string): string {
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    let main: unknown;
    try {
      main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main;
    } catch (error) {
      throw loadFailed(plugin, `"${manifest}" is not valid JSON`, error);
    }
    if (typeof main === 'string' && main !== '')
      return realPathInside(plugin, folder, resolve(folder, main), 'package.json "main"');
  }
  for (const name of indexFiles) {
    const candidate = join(folder, name);
    if (existsSync(candidate)) return realPathInside(plugin, folder, candidate, 'entry file');
  }
  throw loadFailed(plugin, `"${folder}" has no package.json "main" and no ${indexFiles.join(' / ')}`);
}

/**
 * Find the file a `plugins` entry loads (protocol.md, plugin loading rules):
 * - `module` that is a path: relative to the config file's folder, and it must
 *   stay inside that folder (no `..`, no links out);
 * - `module` that is a package name: resolved from the config file's folder,
 *   then from the gateway's own dependencies;
 * - no `module`: the folder `plugins/<name>` next to the config file, which
 *   must stay inside `plugins/`.
 */
export function resolvePluginEntry(
  plugin: string,
  moduleSpecifier: string | undefined,
  baseDir: string,
): ResolvedPluginEntry {
  const root = resolve(baseDir);
  if (moduleSpecifier === undefined || moduleSpecifier === '') {
    const pluginsDir = join(root, 'plugins');
    assertSafePluginName(plugin);
    const folder = realPathInside(plugin, pluginsDir, join(pluginsDir, plugin), 'plugin folder');
    if (!statSync(folder).isDirectory()) throw loadFailed(plugin, `"${folder}" is not a folder`);
    return { file: folderEntry(plugin, folder), source: 'folder', root: folder, ownsRoot: true };
  }
  if (isPathSpecifier(moduleSpecifier)) {
    const path = moduleSpecifier.startsWith('file:')
      ? fileURLSpecifierPath(plugin, moduleSpecifier)
      : moduleSpecifier;
    const target = realPathInside(plugin, root, resolve(root, path), 'module path');
    if (statSync(target).isDirectory())
      return { file: folderEntry(plugin, target), source: 'path', root: target, ownsRoot: true };
    return { file: target, source: 'path', root: dirname(target), ownsRoot: false };
  }
  for (const from of [join(root, 'noop.js'), import.meta.url]) {
    try {
      return { file: createRequire(from).resolve(moduleSpecifier), source: 'package' };
    } catch {
      // try the next place
    }
  }
  throw loadFailed(
    plugin,
    `package "${moduleSpecifier}" is not installed (looked from "${root}" and from the gateway)`,
  );
}

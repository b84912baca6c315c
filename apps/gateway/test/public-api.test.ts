import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Every name each published entry point exports, values and types, in one
 * committed file (public-api.txt beside this test). Adding, renaming or
 * dropping a public name changes that file, so an API change is a visible
 * diff in review, never an accident of an `export *`. After a deliberate
 * change: `pnpm vitest run --project gateway public-api -u`.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface PackageJson {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
}

/** Each package's entry points (`exports` subpaths with TypeScript sources), testkit excluded: it is private. */
function entryPoints(): Array<{ name: string; source: string }> {
  const folders = ['packages/core', 'packages/http-server', 'packages/sse-server', 'packages/ws-server'];
  folders.push('packages/http-client', 'packages/ws-client', 'packages/plugin');
  folders.push('packages/backend-sandbox', 'packages/backend-upstream', 'packages/nats');
  folders.push('packages/dashboard', 'apps/gateway');
  const entries: Array<{ name: string; source: string }> = [];
  for (const folder of folders) {
    const pkg = JSON.parse(readFileSync(`${root}${folder}/package.json`, 'utf8')) as PackageJson;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const source = typeof target === 'object' ? target['@onebot-gateway/source'] : undefined;
      if (source === undefined) continue;
      entries.push({ name: `${pkg.name}${subpath.slice(1)}`, source: `${root}${folder}/${source.slice(2)}` });
    }
  }
  return entries;
}

function exportedNames(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  if (moduleSymbol === undefined) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return `${target.flags & ts.SymbolFlags.Value ? 'value' : 'type '} ${symbol.name}`;
    })
    .sort();
}

describe('public API', () => {
  it('every published entry point exports exactly the names in public-api.txt', async () => {
    const entries = entryPoints();
    const program = ts.createProgram(
      entries.map((entry) => entry.source),
      {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        customConditions: ['@onebot-gateway/source'],
        strict: true,
        noEmit: true,
      },
    );
    const sections = entries.map((entry) => {
      const names = exportedNames(program, entry.source);
      const values = names.filter((name) => name.startsWith('value')).length;
      return `## ${entry.name} (${values} values, ${names.length - values} types)\n${names.join('\n')}\n`;
    });
    await expect(sections.join('\n')).toMatchFileSnapshot('./public-api.txt');
  }, 60_000);
});

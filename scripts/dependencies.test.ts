// Every runtime dependency in package.json is imported by the project's own code (no dependency that
// nothing imports), and every bare import of the app's code is a declared dependency.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const SOURCE_DIRS = ['app', 'views', 'components', 'engine', 'widget', 'input', 'state', 'compute', 'i18n'];

function sources(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** The package names of the bare specifiers a file imports (statically or with import()). */
function imported(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const names: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s+['"]([^'"]+)['"]/gm, // import … from 'x' (over several lines too)
    /^\s*import\s+['"]([^'"]+)['"]/gm, // import 'x' for its side effects
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('x')
  ];
  const specs = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]));
  for (const raw of specs) {
    if (raw.startsWith('.') || raw.startsWith('/')) continue;
    const spec = raw.replace(/\?.*$/, '');
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.push(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return names;
}

describe('dependencies', () => {
  const files = SOURCE_DIRS.flatMap((d) => sources(join(root, d)));
  const used = new Set(files.flatMap(imported));

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('every runtime dependency is imported by the app, the engine or the widget', () => {
    const unused = Object.keys(pkg.dependencies).filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });

  it('every package the app imports is declared', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    const undeclared = [...used].filter((name) => !declared.has(name));
    expect(undeclared).toEqual([]);
  });
});

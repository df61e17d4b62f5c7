// A clone with nothing beside it must pass its own tests: no tracked file may reach outside the repository
// for data. Two checks: no text names the sibling folder the conformance checkpoints used to be read from,
// and every path built from a file's own folder with literal segments (join/resolve(import.meta.dirname, '..', …))
// stays inside the repository root.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const allFiles = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0');
/** Tracked text that can name a path (this file names the forbidden ones on purpose). */
const tracked = allFiles.filter((f) => (/\.(ts|tsx|mjs|js|json|sh)$/.test(f) || f === '.ci/run') && f !== 'scripts/standalone.test.ts');

/** join(import.meta.dirname, 'a', '..', …) / resolve(…) with only string literals after the folder. */
const BUILT_PATH = /\b(?:join|resolve)\(\s*import\.meta\.dirname\s*((?:,\s*'[^']*'\s*)+)\)/g;

function escapes(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BUILT_PATH)) {
    const parts = [...m[1].matchAll(/'([^']*)'/g)].map((p) => p[1]);
    const target = resolve(dirname(join(root, file)), ...parts);
    const rel = relative(root, target);
    if (rel === '..' || rel.startsWith('..' + sep)) out.push(`${file}: ${m[0]} → ${target}`);
  }
  return out;
}

describe('the repository stands alone', () => {
  it('finds the files it checks (the scan is not empty)', () => {
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked).toContain('tests/hub/server.ts');
  });

  it('no tracked source names a sibling "shared" folder', () => {
    const offenders = tracked.filter((f) => /\.\.\/shared\b|'\.\.',\s*'shared'/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no path built from a source file’s folder leaves the repository', () => {
    const found = tracked.flatMap((f) => escapes(f, readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check itself catches a path that leaves the repository', () => {
    expect(escapes('engine/checkpoint/x.ts', "join(import.meta.dirname, '..', '..', '..', 'shared', 'models')")).toHaveLength(1);
    expect(escapes('engine/checkpoint/x.ts', "join(import.meta.dirname, '..', '..', 'tests', 'fixtures')")).toHaveLength(0);
  });

  it('the conformance checkpoints are in the repository, with their origin and licence', () => {
    for (const name of ['gpt2-tiny', 'stories260K-hf']) {
      for (const file of ['config.json', 'model.safetensors', 'expected.json']) expect(allFiles).toContain(`tests/fixtures/models/${name}/${file}`);
    }
    expect(allFiles).toContain('tests/fixtures/models/README.md');
    expect(allFiles).toContain('tests/fixtures/models/stories260K-hf/LICENSE');
    expect(readFileSync(join(root, 'tests/fixtures/models/stories260K-hf/LICENSE'), 'utf8')).toMatch(/MIT License/);
  });
});

// No two source files load each other: the graph of static imports that survive compilation (`import type`
// and `export type` are erased and left out; `import { type X }` stays, as verbatimModuleSyntax keeps it) has
// no cycle. A cycle makes the order modules run in depend on which one is loaded first: a value taken from
// the other file can still be undefined when it is read.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** The relative files `source` (at `file`) loads when it runs. */
function runtimeImports(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(st) && !st.importClause?.isTypeOnly) spec = st.moduleSpecifier;
    else if (ts.isExportDeclaration(st) && !st.isTypeOnly) spec = st.moduleSpecifier;
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.')) out.push(path.normalize(path.join(path.dirname(file), spec.text.replace(/\?.*$/, ''))));
  }
  return out;
}

/** The cycles (strongly connected components of more than one file, or a file that loads itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)!.includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph', () => {
  it('finds the cycle it is shown (the check is not empty)', () => {
    const graph = new Map<string, string[]>([
      ['a.ts', runtimeImports('a.ts', "import { b } from './b.ts';\nimport type { C } from './c.ts';")],
      ['b.ts', runtimeImports('b.ts', "export { a } from './a.ts';")],
      ['c.ts', runtimeImports('c.ts', "import { a } from './a.ts';")],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no cycle among the files that load each other', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((f) => /\.(ts|tsx)$/.test(f) && existsSync(path.join(root, f)));
    expect(files.length).toBeGreaterThan(300);
    const graph = new Map(files.map((f) => [f, runtimeImports(f, readFileSync(path.join(root, f), 'utf8'))]));
    expect(cycles(graph)).toEqual([]);
  });
});

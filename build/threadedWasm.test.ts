// The threaded wasm build's pthreads run the factory's source alone (tfjs stringifies it), so after the
// transform that source must declare everything it reads from the closure, and see every core.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { allLogicalCores, selfContainedThreadedWasm } from './threadedWasm.ts';

const require = createRequire(import.meta.url);
const file = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
const original = readFileSync(file, 'utf8');

/** The factory tfjs gets from the module, evaluated the way a CommonJS bundler does. */
function factoryOf(code: string): (...args: unknown[]) => unknown {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports as (...args: unknown[]) => unknown;
}

describe('threaded wasm build transform', () => {
  it('the stringified factory does not read the closure it loses in a pthread', () => {
    // Before: the factory reads _scriptDir, declared only in the closure around it.
    const before = factoryOf(original).toString();
    expect(before).toMatch(/_scriptDir/);
    expect(before).not.toMatch(/var _scriptDir\b/);
    // After: it declares _scriptDir itself, so the Blob tfjs makes of it runs on its own.
    const after = factoryOf(selfContainedThreadedWasm(original)).toString();
    expect(after).toMatch(/^function\(WasmBackendModuleThreadedSimd\) \{\s*var _scriptDir = /);
    // Evaluated alone (as in a pthread: no closure) it defines the factory without a ReferenceError.
    const standalone = new Function(`var WasmBackendModuleThreadedSimd = ${after}; return typeof WasmBackendModuleThreadedSimd;`);
    expect(standalone()).toBe('function');
  });

  it('reports every logical core to the C++ side, which halves it', () => {
    const out = allLogicalCores(original);
    expect(out).toContain('return 2*navigator["hardwareConcurrency"]');
    expect(out.length).toBe(original.length + 2);
  });

  it('fails the build when tfjs changes the file, rather than shipping a hang', () => {
    expect(() => selfContainedThreadedWasm('var x = 1;')).toThrow(/changed shape/);
    expect(() => allLogicalCores('var x = 1;')).toThrow(/changed shape/);
  });
});

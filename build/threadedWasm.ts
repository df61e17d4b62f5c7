// Makes tfjs-backend-wasm's threaded build work in a Vite production build.
//
// tfjs starts each pthread worker from a Blob holding `WasmBackendModuleThreadedSimd.toString()`: the
// source of the Emscripten factory alone, without the closure around it. That closure declares
// `_scriptDir`, which the factory reads behind a `typeof _scriptDir !== "undefined"` guard. The
// minifier renames `_scriptDir` and, seeing it declared, drops the guard, so in the pthread (where
// the closure does not exist) the factory throws a ReferenceError, the pool never starts and
// tf.setBackend('wasm') never settles. Moving the declaration into the factory makes its source
// self-contained, whatever the minifier does.
//
// Its C++ side also halves navigator.hardwareConcurrency ("two hyperthreads per core") and caps the
// pool there, so a 2-core machine would get one thread whatever setThreadsCount asks for. We choose
// the count ourselves (engine/backend.ts), so the core count it sees is doubled to cancel the halving.
import type { Plugin } from 'vite';

const FILE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const CLOSURE = /var _scriptDir = ([^\n]*);\n\s*if \(typeof __filename !== 'undefined'\) _scriptDir = _scriptDir \|\| __filename;\n\s*return \(\nfunction\(WasmBackendModuleThreadedSimd\) \{\n/;

/** Moves the factory's captured `_scriptDir` inside it (see above); fails the build if the file changed shape. */
export function selfContainedThreadedWasm(code: string): string {
  if (!CLOSURE.test(code)) throw new Error('tfjs-backend-wasm-threaded-simd.js changed shape: review build/threadedWasm.ts');
  return code.replace(
    CLOSURE,
    (_all, init: string) =>
      `return (\nfunction(WasmBackendModuleThreadedSimd) {\n  var _scriptDir = ${init};\n  if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;\n`,
  );
}

const CORES = 'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}';

/** Makes the pool's cap the browser's core count (see above); fails the build if the file changed shape. */
export function allLogicalCores(code: string): string {
  if (!code.includes(CORES)) throw new Error('tfjs-backend-wasm-threaded-simd.js changed shape: review build/threadedWasm.ts');
  return code.replace(CORES, CORES.replace('return navigator["hardwareConcurrency"]', 'return 2*navigator["hardwareConcurrency"]'));
}

export function threadedWasm(): Plugin {
  return {
    name: 'attention-lab-threaded-wasm',
    enforce: 'pre',
    transform(code, id) {
      return FILE.test(id) ? { code: allLogicalCores(selfContainedThreadedWasm(code)), map: null } : null;
    },
  };
}

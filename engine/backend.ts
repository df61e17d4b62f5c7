// Choosing and initialising the TensorFlow.js backend (Node and browser worker alike).
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'webgl' | 'cpu';

export interface BackendOptions {
  /** Where the tfjs-backend-wasm .wasm files are served (browsers); Node finds them in the package. */
  wasmPaths?: string | Record<string, string>;
}

// Prod mode silences tfjs' console chatter, e.g. the "install tfjs-node" banner, which the command
// line must keep off its output (PROD rather than IS_TEST, which turns on per-kernel leak checks).
tf.env().set('PROD', true);

let active: BackendName | null = null;
let pending: Promise<BackendName> | null = null;
let wasmPathsSet = false;

async function trySet(name: BackendName, opts?: BackendOptions): Promise<boolean> {
  try {
    if (name === 'wasm') {
      // The threaded wasm build hangs in cross-origin-isolated pages (TOOLCHAIN.md), and tfjs runs
      // its matrix products on one thread anyway (XNNPACK is called without a thread pool), so
      // always use the single-threaded SIMD build.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (opts?.wasmPaths !== undefined && !wasmPathsSet) {
        setWasmPaths(opts.wasmPaths as string);
        wasmPathsSet = true;
      }
    }
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Selects a backend and waits until it is ready. 'auto' means wasm (the fast CPU path in Node and
 * browsers), falling back to cpu; webgl is only used when asked for (and falls back the same way).
 * Returns the backend actually in use.
 */
export function initBackend(preferred: BackendName | 'auto' = 'auto', opts?: BackendOptions): Promise<BackendName> {
  const run = async (): Promise<BackendName> => {
    const order: BackendName[] =
      preferred === 'auto' || preferred === 'wasm' ? ['wasm', 'cpu'] : preferred === 'webgl' ? ['webgl', 'wasm', 'cpu'] : ['cpu'];
    for (const name of order) {
      if (active === name && tf.getBackend() === name) return name;
      if (await trySet(name, opts)) {
        active = name;
        return name;
      }
    }
    throw new Error(`no TensorFlow.js backend could be initialised (tried ${order.join(', ')})`);
  };
  // Serialise concurrent calls so two initialisations never race on tf.setBackend.
  const p = (pending ?? Promise.resolve()).then(run, run);
  pending = p.catch(() => active ?? 'cpu');
  return p;
}

/** The backend in use; throws if initBackend has not completed yet. */
export function currentBackend(): BackendName {
  if (active === null) throw new Error('no backend initialised yet: call initBackend() first');
  return active;
}

/** The backend in use, or null before initBackend. */
export function activeBackend(): BackendName | null {
  return active;
}

/**
 * Ensures some backend is ready and returns it: the one in use (also when it was chosen with
 * tf.setBackend directly), else wasm by default.
 */
export async function ensureBackend(): Promise<BackendName> {
  if (pending) await pending.catch(() => undefined);
  // tf.engine().backendName is unset until a backend is chosen (tf.getBackend() would initialise one).
  const current = tf.engine().backendName as string | null | undefined;
  if (current === 'wasm' || current === 'cpu' || current === 'webgl') {
    active = current;
    return current;
  }
  return initBackend('auto');
}

export { tf };

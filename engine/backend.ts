// Choosing and initialising the TensorFlow.js backend (Node and browser worker alike).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'webgpu' | 'webgl' | 'cpu';
/** What a user may choose: a backend, or 'auto' (engine/backendChoice.ts: WebGPU when it checks out, else wasm). */
export type BackendPref = BackendName | 'auto';

export interface BackendOptions {
  /** Where the tfjs-backend-wasm .wasm files are served (browsers); Node finds them in the package. */
  wasmPaths?: string | Record<string, string>;
  /**
   * Threads for the wasm backend (default 1). More than one loads its threaded build, which needs
   * SharedArrayBuffer, i.e. a cross-origin-isolated page; fixed once wasm has started.
   */
  threads?: number;
}

// Prod mode silences tfjs' console chatter, e.g. the "install tfjs-node" banner, which the command
// line must keep off its output (PROD rather than IS_TEST, which turns on per-kernel leak checks).
tf.env().set('PROD', true);

let active: BackendName | null = null;
let pending: Promise<BackendName> | null = null;
let wasmPathsSet = false;
/** Why each backend that was tried and failed could not be used (the last attempt's reason). */
const failures = new Map<BackendName, string>();

/** Why backends failed to initialise, e.g. { webgl: "WebGL is not supported on this device" }. */
export function backendFailures(): Partial<Record<BackendName, string>> {
  return Object.fromEntries(failures);
}

async function trySet(name: BackendName, opts?: BackendOptions): Promise<boolean> {
  const ok = await attempt(name, opts).catch((e: unknown) => {
    failures.set(name, e instanceof Error ? e.message : String(e));
    return false;
  });
  if (ok) failures.delete(name);
  else if (!failures.has(name)) failures.set(name, `tf.setBackend('${name}') did not take effect`);
  return ok;
}

async function attempt(name: BackendName, opts?: BackendOptions): Promise<boolean> {
  if (name === 'wasm') {
    const threads = opts?.threads ?? 1;
    // With threads > 1 the flag is left to tfjs' own test (can a SharedArrayBuffer be sent?), so a
    // page that cannot share memory still gets the single-threaded build. The threaded build works in
    // a Vite build only with build/threadedWasm.ts.
    if (threads > 1) setThreadsCount(threads);
    else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (opts?.wasmPaths !== undefined && !wasmPathsSet) {
      setWasmPaths(opts.wasmPaths as string);
      wasmPathsSet = true;
    }
  }
  // Loaded only when asked for: it is large and most visits never use it.
  if (name === 'webgpu' && tf.findBackendFactory(name) === null) await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory(name) === null) throw new Error(`the ${name} backend is not registered`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(initFailure(name));
  await tf.ready();
  return tf.getBackend() === name;
}

/**
 * Why a backend's factory failed: tfjs only logs it and answers false, so a synchronous factory
 * (cpu, webgl) is asked again to see its error; the asynchronous wasm and webgpu ones are not re-run.
 */
function initFailure(name: BackendName): string {
  if (name === 'wasm') return 'the wasm module could not be loaded or compiled (see the console)';
  if (name === 'webgpu') return 'no WebGPU device could be created (see the console)';
  try {
    const backend = tf.findBackendFactory(name)?.() as tf.KernelBackend | undefined;
    backend?.dispose();
    return `tf.setBackend('${name}') failed`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Selects a backend and waits until it is ready. 'auto' means wasm (the fast CPU path in Node and
 * browsers), falling back to cpu; webgpu and webgl are only used when asked for (and fall back the
 * same way). engine/backendChoice.ts adds the WebGPU probe that the browser's 'auto' runs.
 * Returns the backend actually in use.
 */
export function initBackend(preferred: BackendName | 'auto' = 'auto', opts?: BackendOptions): Promise<BackendName> {
  const run = async (): Promise<BackendName> => {
    const order: BackendName[] = preferred === 'auto' || preferred === 'wasm' ? ['wasm', 'cpu'] : preferred === 'cpu' ? ['cpu'] : [preferred, 'wasm', 'cpu'];
    for (const name of order) {
      if (active === name && tf.getBackend() === name) return name;
      if (await trySet(name, opts)) {
        active = name;
        return name;
      }
    }
    const why = order.map((name) => `${name}: ${failures.get(name) ?? 'failed'}`).join('; ');
    throw new Error(`no TensorFlow.js backend could be initialised (${why})`);
  };
  // Serialise concurrent calls so two initialisations never race on tf.setBackend.
  const p = (pending ?? Promise.resolve()).then(run, run);
  pending = p.catch(() => active ?? 'cpu');
  return p;
}

/** Threads the wasm backend runs on (1 until it has started, and for its single-threaded builds). */
export function wasmThreads(): number {
  return active === 'wasm' ? Math.max(1, getThreadsCount()) : 1;
}

/** The backend in use; throws if initBackend has not completed yet. */
export function currentBackend(): BackendName {
  if (active === null) throw new Error('no backend initialised yet: call initBackend() first');
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
  if (current === 'wasm' || current === 'cpu' || current === 'webgl' || current === 'webgpu') {
    active = current;
    return current;
  }
  return initBackend('auto');
}

/** The wasm backend's view of a tensor in its heap (valid until the next allocation there), or null. */
function heapView(t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array };
  return typeof b.typedArrayFromHeap === 'function' ? b.typedArrayFromHeap(t) : null;
}

/**
 * A float32 tensor's numbers. Given `into` (of the tensor's size), the wasm backend copies them
 * straight from its heap into it; otherwise (and on other backends) they come back in a new array.
 */
export async function readFloats(t: tf.Tensor, into?: Float32Array): Promise<Float32Array> {
  const view = into && into.length === t.size ? heapView(t) : null;
  if (into && view) {
    into.set(view);
    return into;
  }
  return (await t.data()) as Float32Array;
}

export { tf };

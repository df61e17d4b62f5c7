// Moving a checkpoint's tensors to where the forward pass uses them, each exactly once: resident tfjs
// tensors for embeddings, norms and MLP (copied into the backend; the float32 array is dropped), plain
// per-head matrices for attention (the engine's AttentionInput). Nothing keeps a view into the file's
// bytes, so the file can be collected once the model is built.
import { tf } from '../backend.ts';
import type { Matrix } from '../types.ts';
import type { WeightStore } from './weights.ts';
import { STORED_CHUNK_ELEMENTS } from './budget.ts';
import type { CheckpointPlan } from './plan.ts';
import type { Block, BlockSource, Norm, StoredTable } from '../transformer/types.ts';

export class Resident {
  /** Every tensor created, for dispose() and for cleaning up when loading fails half-way. */
  readonly tensors: tf.Tensor[] = [];
  parameters = 0;
  /**
   * Conversion buffer for tensors that are used at once (grown to the largest). A streamed block's Resident
   * shares its parent's, so converting layer after layer reuses one buffer instead of leaving one per layer.
   */
  private readonly scratch: { data: Float32Array };
  /** The planned shape of every tensor the family may take (checked against the file already). */
  private readonly planned: Map<string, string>;

  constructor(
    private readonly store: WeightStore,
    private readonly plan: CheckpointPlan,
    /** Called with the parameters converted so far, after every tensor. */
    private readonly onTensor: (parameters: number) => void = () => {},
    scratch: { data: Float32Array } = { data: new Float32Array(0) },
  ) {
    this.scratch = scratch;
    this.planned = new Map(plan.tensors.map((t) => [t.name, t.shape.join(',')]));
  }

  /**
   * A rows×cols tensor left in the file's precision (see StoredTable): only the rows read are converted.
   * Counted as parameters. Only streamed models have them, whose stored bits load.ts checks to be finite.
   */
  table(name: string, rows: number, cols: number, why: string): StoredTable {
    const shape = [rows, cols];
    this.declared(name, shape);
    this.parameters += rows * cols;
    this.onTensor(this.parameters);
    const store = this.store;
    return {
      kind: 'stored',
      rows,
      cols,
      chunkRows: Math.max(1, Math.floor(STORED_CHUNK_ELEMENTS / cols)),
      read(start, count, into) {
        if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 0 && start + count <= rows)) {
          throw new RangeError(`${name}: rows ${start}…${start + count - 1} are outside 0…${rows - 1}`);
        }
        if (into && into.length < count * cols) throw new RangeError(`${name}: ${count} rows need ${count * cols} numbers, the buffer holds ${into.length}`);
        const data = store.takeRange(name, shape, why, start * cols, count * cols, into);
        if (into && data.buffer === into.buffer) return data; // converted in place (F16, BF16)
        // An F32 read may be a view into the file: copied, so that nothing keeps the file alive through it.
        if (into) {
          const out = into.subarray(0, data.length);
          out.set(data);
          return out;
        }
        return data.byteLength === data.buffer.byteLength ? data : data.slice();
      },
    };
  }

  /**
   * Blocks built as their layer runs (see BlockSource) by the family's own `build`, each on a fresh Resident
   * over the same file and plan: a streamed block is converted by exactly the code that builds a resident one.
   */
  stream(build: (r: Resident, layer: number) => Block): BlockSource {
    return {
      open: (layer) => {
        const r = new Resident(this.store, this.plan, undefined, this.scratch);
        try {
          return { block: build(r, layer), release: () => r.dispose() };
        } catch (e) {
          r.dispose();
          throw e;
        }
      },
    };
  }

  /**
   * The tensor as float32 (see WeightStore.take). A tensor the family's plan did not declare is a bug in the
   * family: its size was never compared with the file before being allocated, so it is refused outright.
   */
  private take(name: string, shape: number[], why: string, scratch?: Float32Array): Float32Array {
    this.declared(name, shape);
    return this.store.take(name, shape, why, scratch);
  }

  private declared(name: string, shape: number[]): void {
    if (this.planned.get(name) !== shape.join(',')) throw new Error(`${name} [${shape.join(', ')}] is not in the family's tensor list (plan.ts): add it there`);
  }

  private counted(data: Float32Array): Float32Array {
    this.parameters += data.length;
    this.onTensor(this.parameters);
    return data;
  }

  private track<T extends tf.Tensor>(t: T): T {
    this.tensors.push(t);
    return t;
  }

  /** Whether the checkpoint stores a tensor of this name (for optional parts and alternative names). */
  has(name: string): boolean {
    return this.store.has(name);
  }

  /** The float32 numbers of a tensor (counted as parameters); F32 may be a view into the file: copy what you keep. */
  numbers(name: string, shape: number[], why: string): Float32Array {
    return this.counted(this.take(name, shape, why));
  }

  /**
   * The numbers of a tensor that is used at once — uploaded, or copied into per-head matrices — (counted as
   * parameters): they may live in the reused scratch buffer, valid until the next call.
   */
  transient(name: string, shape: number[], why: string): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1);
    if (this.scratch.data.length < size) this.scratch.data = new Float32Array(size);
    return this.counted(this.take(name, shape, why, this.scratch.data));
  }

  /**
   * A resident tensor of the stored numbers. On wasm the numbers are converted straight into the tensor's
   * memory in the wasm heap (typedArrayFromHeap), so no float32 copy of the checkpoint ever exists in JS;
   * elsewhere they go through the scratch buffer and tf.tensor's copy.
   */
  private upload(name: string, shape: number[], why: string): tf.Tensor {
    const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array };
    if (tf.getBackend() !== 'wasm' || typeof backend.typedArrayFromHeap !== 'function') return tf.tensor(this.transient(name, shape, why), shape);
    this.declared(name, shape);
    const t = tf.zeros(shape);
    try {
      const heap = backend.typedArrayFromHeap(t);
      const data = this.take(name, shape, why, heap);
      if (data !== heap && data.buffer !== heap.buffer) heap.set(data); // F32 came back as a view into the file
      this.counted(data);
      return t;
    } catch (e) {
      t.dispose();
      throw e;
    }
  }

  vector(name: string, length: number, why: string): tf.Tensor1D {
    return this.track(this.upload(name, [length], why) as tf.Tensor1D);
  }

  /** A vector that only some configurations have (null when `present` is false). */
  optionalVector(present: boolean, name: string, length: number, why: string): tf.Tensor1D | null {
    return present ? this.vector(name, length, why) : null;
  }

  /** A LayerNorm stored as `${prefix}.weight` and `${prefix}.bias` (d numbers each). */
  layerNorm(prefix: string, d: number, why: string, eps: number): Norm {
    return { kind: 'layernorm', gain: this.vector(`${prefix}.weight`, d, why), bias: this.vector(`${prefix}.bias`, d, why), eps };
  }

  /** A rows×cols tensor as stored. */
  matrix(name: string, rows: number, cols: number, why: string): tf.Tensor2D {
    return this.track(this.upload(name, [rows, cols], why) as tf.Tensor2D);
  }

  /**
   * A tensor stored rows×cols, resident as its transpose cols×rows (GPT-2's Conv1D weights are (in, out);
   * the MLP wants (out, in)). On wasm the transpose is written straight into the tensor's heap memory from
   * the scratch buffer (a transpose on the backend would need both orientations in the heap at once, and
   * the heap never shrinks); elsewhere it runs on the backend.
   */
  transposed(name: string, rows: number, cols: number, why: string): tf.Tensor2D {
    const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array };
    if (tf.getBackend() !== 'wasm' || typeof backend.typedArrayFromHeap !== 'function') {
      const stored = this.upload(name, [rows, cols], why);
      const t = tf.transpose(stored) as tf.Tensor2D;
      stored.dispose();
      return this.track(t);
    }
    const data = this.transient(name, [rows, cols], why);
    const t = tf.zeros([cols, rows]) as tf.Tensor2D;
    transposeInto(data, rows, cols, backend.typedArrayFromHeap(t));
    return this.track(t);
  }

  dispose(): void {
    for (const t of this.tensors) t.dispose();
    this.tensors.length = 0;
  }
}

/** out (cols×rows) = transpose of src (rows×cols), in 32×32 tiles so that reads and writes stay in cache. */
function transposeInto(src: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = src[i * cols + j];
    }
  }
}

/** Columns start…start+width−1 of a rows×cols array, as a rows×width matrix of its own. */
export function columns(w: Float32Array, rows: number, cols: number, start: number, width: number): Matrix {
  const out = new Float32Array(rows * width);
  for (let i = 0; i < rows; i++) out.set(w.subarray(i * cols + start, i * cols + start + width), i * width);
  return { rows, cols: width, data: out };
}

/** Rows start…start+count−1 of a rows×cols array, transposed: a cols×count matrix (PyTorch (out, in) → (in, out)). */
export function rowsTransposed(w: Float32Array, cols: number, start: number, count: number): Matrix {
  const out = new Float32Array(cols * count);
  for (let r = 0; r < count; r++) {
    const src = (start + r) * cols;
    for (let i = 0; i < cols; i++) out[i * count + r] = w[src + i];
  }
  return { rows: cols, cols: count, data: out };
}

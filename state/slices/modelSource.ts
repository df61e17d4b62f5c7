// Where the numbers come from: seeded weights, or a trained model (the shipped one, or one trained or
// loaded in this browser), with its loading state. Switching is undoable; a model that fails to load
// right after the switch gives the document back exactly as it was.
import type { ModelManifest } from '../../engine/model/format.ts';
import type { ModelInfo } from '../../engine/model/info.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import { hubErrorText } from '../../i18n/hubErrorText.ts';
import { isCheckpoint, type ModelId } from '../document.ts';
import { normalizeHubUrl } from '../../engine/checkpoint/hubRef.ts';
import { tokenizeFor } from '../tokens.ts';
import { alignTokens, withTokens } from '../tokenEdits.ts';
import type { SliceContext } from './context.ts';

/** A trained model held by this page (trained in the Train panel or loaded from a file). */
export interface UserModel {
  name: string;
  manifest: ModelManifest;
  bytes: Uint8Array;
  /** Changes with every new user model, so the worker is given the new weights. */
  key: string;
}

/** One file of a checkpoint being fetched. */
export interface FileProgress {
  name: string;
  received: number;
  /** Null while the size is unknown. */
  total: number | null;
}

/** A model whose last run was stopped by the watchdog, and the step that never ended. */
export interface HaltedModel {
  /** The document's model id (hf:owner/name@revision, local:…, brown-char, user). */
  model: string;
  step: string;
}

export interface ModelState {
  /** The model being loaded or shown, null before one was asked for. */
  key: string | null;
  /**
   * 'confirm': a large download waits for the user's go-ahead (see `size`); 'halted': the model's last run
   * was stopped by the watchdog and waits for the user's go-ahead (see the store's `halted`).
   */
  status: 'idle' | 'confirm' | 'halted' | 'loading' | 'ready' | 'error';
  /** Bytes received so far, and the total when known. */
  loaded: number;
  total: number | null;
  /** Per file, for checkpoints. */
  files: FileProgress[];
  /** Opened from the browser's cache (no download). */
  fromCache: boolean;
  /** Download size in bytes, when it needs confirming. */
  size: number | null;
  /** The server did not say how large the download is: `size` is what arrived before it passed the threshold. */
  sizeAtLeast: boolean;
  info: ModelInfo | null;
  error: string | null;
}

export const NO_MODEL: ModelState = { key: null, status: 'idle', loaded: 0, total: null, files: [], fromCache: false, size: null, sizeAtLeast: false, info: null, error: null };

export interface ModelSourceActions {
  useSeeded(): void;
  /** Shows a trained model: the shipped one, or the one trained or loaded in this browser. */
  useModel(model: ModelId): void;
  /** Keeps a model trained in this browser and shows it. */
  useTrainedModel(manifest: ModelManifest, bytes: Uint8Array, name: string): void;
  /** Keeps a model trained or loaded in this browser (e.g. restored from storage) without showing it. */
  keepUserModel(manifest: ModelManifest, bytes: Uint8Array, name: string): void;
  /** Reads a model bundle file (engine/model/bundle.ts) and shows it; false (with a notice) when it is broken. */
  loadModelFile(text: string, fileName: string): Promise<boolean>;
  setModelState(patch: Partial<ModelState>): void;
  /** A Hub model runs but could not be kept for offline use: say so (it downloads again next time). */
  modelNotStored(why: string): void;
  /** A model could not be loaded: say why and show seeded weights instead. */
  modelFailed(key: string, why: string): void;
  /** Opens a checkpoint from local files (a picked or dropped folder). */
  openLocalModel(name: string, files: { path: string; file: Blob }[]): void;
  /** Agrees to a large download of the model being opened. */
  confirmDownload(key: string): void;
  /** The watchdog stopped a run of `model` in `step` (null clears): it is not run again until the user agrees. */
  setHalted(halted: HaltedModel | null): void;
  /** Stops a model download; the document goes back to what it was. */
  cancelModelLoad(): void;
  /** Where Hub checkpoints are fetched from; a message when the address is not usable. */
  setHub(url: string): string | null;
}

const msg = (key: MessageKey, params: Record<string, string | number> = {}) => t(key, params);
let userModelCount = 0;

export function modelSourceSlice({ set, get, history }: SliceContext): ModelSourceActions {
  const { commit } = history;
  return {
    useSeeded() {
      const doc = get().doc;
      if (doc.source.kind === 'seeded') return;
      const source = { kind: 'seeded' } as const;
      const tokens = doc.source.kind === 'model' ? tokenizeFor(doc.text, doc.mode, source) : doc.tokens;
      commit({ ...withTokens(doc, tokens, alignTokens(doc.tokens, tokens), doc.text), source, overrides: {}, layer: 0 }, 'source:seeded');
      set((s) => ({ revision: s.revision + 1 }));
    },
    useModel(model) {
      const doc = get().doc;
      if (model === 'user' && !get().userModel) {
        get().actions.notify('error', 'file', msg('model.noUserModel'));
        return;
      }
      if (doc.source.kind === 'model' && doc.source.model === model) return;
      const source = { kind: 'model', model } as const;
      // A case has no text of its own: its labels, joined, are the closest thing.
      const text = doc.source.kind === 'case' ? doc.tokens.join(' ') : doc.text;
      const mode = isCheckpoint(model) ? 'words' : 'chars';
      const tokens = tokenizeFor(text, mode, source);
      commit(
        {
          ...doc,
          source,
          mode,
          text,
          tokens,
          keyWeights: tokens.map(() => 1),
          padding: tokens.map(() => false),
          overrides: {},
          causal: true,
          layer: 0,
          head: 0,
          cell: null,
          ablate: [],
          target: null,
        },
        `source:${model}`,
      );
      set((s) => ({ revision: s.revision + 1 }));
    },
    modelNotStored(why) {
      get().actions.notify('warning', 'storage', msg('hub.notStored', { why }));
    },
    keepUserModel(manifest, bytes, name) {
      set({ userModel: { name, manifest, bytes, key: `user:${++userModelCount}` } });
    },
    useTrainedModel(manifest, bytes, name) {
      // Already showing the user's model: the compute client recomputes when the weights change.
      get().actions.keepUserModel(manifest, bytes, name);
      get().actions.useModel('user');
      get().actions.clearNotices('file');
      get().actions.notify('info', 'file', msg('model.using', { name }));
    },
    async loadModelFile(text, fileName) {
      try {
        // Loaded on demand: the model checks are not part of the widget's first load.
        const { parseBundle } = await import('../../engine/model/bundle.ts');
        const { manifest, bytes } = parseBundle(text);
        get().actions.useTrainedModel(manifest, bytes, manifest.name || fileName);
        return true;
      } catch (e) {
        get().actions.clearNotices('file');
        get().actions.notify('error', 'file', msg('model.fileProblem', { name: fileName, problem: e instanceof Error ? e.message : String(e) }));
        return false;
      }
    },
    setModelState(patch) {
      set((s) => ({ model: { ...s.model, ...patch } }));
    },
    modelFailed(key, why) {
      set((s) => ({ model: { ...s.model, key, status: 'error', error: why } }));
      get().actions.notify('error', 'engine', msg('model.failed', { why }));
      const { source } = get().doc;
      if (source.kind !== 'model') return;
      // Right after the switch, going back restores the document exactly as it was (mode, mask, weights).
      if (history.lastTag() === `source:${source.model}` && get().past.length > 0) {
        get().actions.undo();
        set({ future: [] });
      } else get().actions.useSeeded();
    },
    openLocalModel(name, files) {
      const key = `local:${name}` as const;
      set({ localFiles: { key, files } });
      get().actions.useModel(key);
    },
    setHalted(halted) {
      set({ halted });
    },
    confirmDownload(key) {
      set((s) => ({ confirmedDownload: key, model: { ...s.model, status: 'loading', size: null } }));
    },
    cancelModelLoad() {
      const { key, status } = get().model;
      // Declining the download question: nothing is loading, so go back at once as a cancelled load would.
      if (status === 'confirm' && key) get().actions.modelFailed(key, msg('hub.cancelled'));
      else set((s) => ({ model: { ...s.model, status: 'error', error: 'cancelled' } }));
    },
    setHub(url) {
      let hub: string;
      try {
        hub = normalizeHubUrl(url);
      } catch (e) {
        return hubErrorText(e);
      }
      if (hub !== get().hub) set({ hub });
      return null;
    },
  };
}

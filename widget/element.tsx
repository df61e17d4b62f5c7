// <attention-lab>: the app's views, store and engine as a custom element in a shadow root.
// Every element has its own store (createAppStore) and its own compute worker; the only thing
// written to the host's globals is the element definition.
import { createRoot, type Root } from 'react-dom/client';
import type { CaseJson } from '../engine/types.ts';
import { getLang, isLangLoaded, loadLang, onLangChange, parseLang, type Lang } from '../i18n/index.ts';
import { startComputeClient, type ComputeClient } from '../compute/computeClient.ts';
import { DEFAULT_DOC, normalizeDoc, type DocState } from '../state/document.ts';
import { createAppStore, type AppStore } from '../state/store.ts';
import { tokenizeText } from '../state/tokens.ts';
import { ATTRIBUTES, applyAttributes, checkCase, type Attributes, type Theme } from './attributes.ts';
import { fetchCaseJson } from './fetchCase.ts';
import { checkCorpusRun, CorpusRunError } from '../engine/corpus/runData.ts';
import type { CorpusRun } from '../engine/corpus/run.ts';
import { corpusRunErrorText } from '../i18n/corpusErrorText.ts';
import { wt } from '../i18n/widget.ts';
import { adoptStyles, registerFonts } from './styles.ts';
import { quickFirstResult } from './quickStart.ts';
import { Widget } from './Widget.tsx';

const TAG = 'attention-lab';

/** `detail` of the attention-lab:select event (indices are 0-based, like the case format). */
export interface SelectDetail {
  head: number;
  query: number | null;
  key: number | null;
}

/** `detail` of the attention-lab:ready event. */
export interface ReadyDetail {
  tokens: string[];
  heads: number;
}

function defaultDoc(): DocState {
  return normalizeDoc({ ...DEFAULT_DOC, tokens: tokenizeText(DEFAULT_DOC.text, DEFAULT_DOC.mode) });
}

/** The largest corpus result file `corpus-src` reads. */
const MAX_CORPUS_BYTES = 64 * 1024 * 1024;

/** The shipped models, relative to this script (dist/widget/ → dist/models/). A variable, not a literal, so Vite leaves it to run time. */
const MODELS_DIR = '../models/';

const darkQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

export class AttentionLabElement extends HTMLElement {
  static readonly observedAttributes: readonly string[] = ATTRIBUTES;

  readonly #store: AppStore = createAppStore();
  readonly #defaults = defaultDoc();
  readonly #mount: HTMLDivElement;
  #root: Root | null = null;
  #client: ComputeClient | null = null;
  #unsubs: (() => void)[] = [];
  #case: CaseJson | null = null;
  #caseError: string | null = null;
  #src: string | null = null;
  #srcCase: CaseJson | null = null;
  #srcError: string | null = null;
  #srcRequest = 0;
  /** A corpus run given as data: the `corpus` property (wins), or the file `corpus-src` names. */
  #corpus: CorpusRun | null = null;
  #corpusError: string | null = null;
  #srcCorpus: CorpusRun | null = null;
  #corpusSrcError: string | null = null;
  #corpusRequest = 0;
  #errors: string[] = [];
  #theme: Theme = 'auto';
  #height: string | null = null;
  #ready = false;
  /** The `lang` attribute, parsed; null: the widget follows the page's language (getLang). */
  #lang: Lang | null = null;
  /** Its language's catalog could not be fetched: it is drawn in English rather than not at all. */
  #langFailed = false;
  #applying = false;
  #scheduled = false;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    adoptStyles(shadow);
    this.#mount = document.createElement('div');
    shadow.appendChild(this.#mount);
  }

  /** A case object (the app's case format); takes precedence over `src`. Set null to go back. */
  get case(): CaseJson | null {
    return this.#case;
  }
  set case(value: CaseJson | null) {
    if (value === null || value === undefined) {
      this.#case = null;
      this.#caseError = null;
    } else {
      const checked = checkCase(value, this.#language());
      this.#case = 'case' in checked ? checked.case : null;
      this.#caseError = 'error' in checked ? checked.error : null;
    }
    this.#schedule();
  }

  /** A corpus run (the JSON the app's Corpus view downloads) for the Corpus view; takes precedence over `corpus-src`. Set null to go back. */
  get corpus(): CorpusRun | null {
    return this.#corpus;
  }
  set corpus(value: unknown) {
    this.#corpus = null;
    this.#corpusError = null;
    if (value !== null && value !== undefined) {
      const checked = this.#checkCorpus(value);
      if ('run' in checked) this.#corpus = checked.run;
      else this.#corpusError = wt('w.corpus', { why: checked.error }, this.#language());
    }
    this.#schedule();
  }

  #checkCorpus(value: unknown): { run: CorpusRun } | { error: string } {
    try {
      return { run: checkCorpusRun(typeof value === 'string' ? JSON.parse(value) : value) };
    } catch (e) {
      if (e instanceof CorpusRunError) return { error: corpusRunErrorText(e, this.#language()) };
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  #loadCorpusSrc(src: string | null): void {
    const id = ++this.#corpusRequest;
    this.#srcCorpus = null;
    this.#corpusSrcError = null;
    if (!src) return;
    this.#fetchChecked(src, MAX_CORPUS_BYTES, () => id === this.#corpusRequest, (json) => {
      const checked = this.#checkCorpus(json);
      if ('error' in checked) return checked.error;
      this.#srcCorpus = checked.run;
      return null;
    }, (why) => {
      this.#corpusSrcError = wt('w.corpusSrc', { src, why }, this.#language());
    });
  }

  /**
   * Fetches the JSON file `src` names (relative to the page) and hands it to `take`, which keeps it or says
   * why not; `fail` words a failure. Neither runs once `current()` says a newer request replaced this one.
   */
  #fetchChecked(src: string, maxBytes: number | undefined, current: () => boolean, take: (json: unknown) => string | null, fail: (why: string) => void): void {
    const failed = (why: string) => {
      if (!current()) return;
      fail(why);
      this.#schedule();
    };
    let url: URL;
    try {
      url = new URL(src, document.baseURI);
    } catch {
      failed('not a URL');
      return;
    }
    fetchCaseJson(url, this.#language(), maxBytes)
      .then((json) => {
        if (!current()) return;
        const why = take(json);
        if (why !== null) failed(why);
        else this.#schedule();
      })
      .catch((e: unknown) => failed(e instanceof Error ? e.message : String(e)));
  }

  connectedCallback(): void {
    registerFonts();
    if (!this.#root) this.#root = createRoot(this.#mount);
    if (this.#unsubs.length === 0) {
      this.#unsubs.push(
        this.#store.subscribe((s, prev) => {
          if (this.#applying) return;
          if (s.doc.head !== prev.doc.head || s.doc.cell !== prev.doc.cell) {
            const detail: SelectDetail = { head: s.doc.head, query: s.doc.cell?.row ?? null, key: s.doc.cell?.col ?? null };
            this.dispatchEvent(new CustomEvent('attention-lab:select', { detail, bubbles: true, composed: true }));
          }
        }),
        onLangChange(() => this.#render()), // widgets without their own `lang` follow the page's
      );
      const mq = darkQuery();
      if (mq) {
        const onScheme = () => this.#render();
        mq.addEventListener('change', onScheme);
        this.#unsubs.push(() => mq.removeEventListener('change', onScheme));
      }
    }
    this.#apply();
    // The compute worker (tfjs, ~270 kB gzip to parse) starts once the first picture is painted, so it
    // does not compete with it for the CPU; without a quick first picture (a large document, a case
    // file still on its way) it starts now. A timer makes sure it starts even if no paint comes.
    if (!this.#client) {
      if (this.#ready || !this.#store.getState().computed) this.#startClient();
      else {
        const timer = setTimeout(() => this.#startClient(), 1500);
        this.#unsubs.push(() => clearTimeout(timer));
      }
    }
  }

  #startClient(): void {
    if (!this.#client && this.isConnected) this.#client = startComputeClient(this.#store, { modelBase: new URL(MODELS_DIR, import.meta.url).href });
  }

  disconnectedCallback(): void {
    // Moving the element fires disconnect then connect in the same task: tear down only if it stays out.
    queueMicrotask(() => {
      if (this.isConnected) return;
      for (const u of this.#unsubs) u();
      this.#unsubs = [];
      this.#client?.stop();
      this.#client = null;
      this.#root?.unmount();
      this.#root = null;
    });
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === 'src') this.#loadSrc(value);
    if (name === 'corpus-src') this.#loadCorpusSrc(value);
    this.#schedule();
  }

  /** Attribute changes made together (one script task) are applied once. */
  #schedule(): void {
    if (this.#scheduled || !this.isConnected) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.#apply();
    });
  }

  #loadSrc(src: string | null): void {
    const id = ++this.#srcRequest;
    this.#src = src;
    this.#srcCase = null;
    this.#srcError = null;
    if (!src) return;
    this.#fetchChecked(src, undefined, () => id === this.#srcRequest, (json) => {
      const checked = checkCase(json, this.#language());
      if ('error' in checked) return checked.error;
      this.#srcCase = checked.case;
      return null;
    }, (why) => {
      this.#srcError = wt('w.src', { src, why }, this.#language());
    });
  }

  #language(): Lang {
    return this.#lang ?? parseLang(this.getAttribute('lang')) ?? getLang();
  }

  #attributes(): Attributes {
    const out: Attributes = {};
    for (const k of ATTRIBUTES) out[k] = this.getAttribute(k);
    return out;
  }

  #apply(): void {
    const { actions } = this.#store.getState();
    const current = this.#store.getState().doc;
    const caseJson = this.#case ?? this.#srcCase;
    const base: DocState = current.source.kind === 'case' ? { ...current, source: { kind: 'seeded' } } : current;
    // The widget's own language (its `lang`; none or a bad one: the page's), for this widget only.
    this.#lang = parseLang(this.getAttribute('lang'));
    const lang = this.#language();
    // Its catalog is a chunk: the first picture waits for it rather than show English words in a 中文 widget.
    if (!this.#langReady(lang, () => this.#schedule())) return;
    const applied = applyAttributes(this.#attributes(), base, this.#defaults, lang);
    const errors = [...applied.errors];
    if (applied.lang !== null && this.#lang === null) {
      errors.push(wt('w.invalid', { name: 'lang', why: wt('w.choice', { choices: 'en, zh', got: applied.lang }, lang) }, lang));
    }
    if (this.#caseError) errors.push(this.#caseError);
    else if (this.#srcError && !this.#case) errors.push(this.#srcError);
    if (this.#corpusError) errors.push(this.#corpusError);
    else if (this.#corpusSrcError && !this.#corpus) errors.push(this.#corpusSrcError);
    this.#applying = true;
    try {
      actions.replaceDoc(applied.doc, false);
      if (caseJson) {
        const { view, head } = applied.doc;
        actions.importCase(JSON.stringify(caseJson), 'file', this.#src ?? 'case');
        actions.clearNotices('file');
        actions.setView(view);
        if (this.getAttribute('causal') !== null) actions.setCausal(applied.doc.causal);
        // The case brings its own window and tile size; the attributes, when given, say otherwise.
        if (this.getAttribute('window') !== null) actions.setWindow(applied.doc.window);
        if (this.getAttribute('tile') !== null) actions.setTile(applied.doc.tile);
        actions.selectHead(head);
      }
    } finally {
      this.#applying = false;
    }
    // A first picture right away (unless a case file is still on its way).
    const waitingForSrc = this.getAttribute('src') && !this.#srcCase && !this.#srcError && !this.#case;
    if (!waitingForSrc) quickFirstResult(this.#store);
    this.#errors = errors;
    this.#theme = applied.theme;
    this.#height = applied.height;
    this.#render();
  }

  /** Whether `lang` can be written now; if not, fetches its catalog and then calls `next` (in English if it fails). */
  #langReady(lang: Lang, next: () => void): boolean {
    if (isLangLoaded(lang) || this.#langFailed) return true;
    loadLang(lang).then(next, (e: unknown) => {
      console.error(`attention-lab: the ${lang} catalog could not be loaded; English is shown`, e);
      this.#langFailed = true;
      next();
    });
    return false;
  }

  #render(): void {
    if (!this.#root) return;
    const lang = this.#language();
    if (!this.#langReady(lang, () => this.#render())) return;
    const theme = this.#theme === 'auto' ? (darkQuery()?.matches ? 'dark' : 'light') : this.#theme;
    this.#root.render(
      <Widget
        store={this.#store}
        theme={theme}
        height={this.#height}
        messages={this.#errors}
        lang={this.#language()}
        onPainted={this.#onPainted}
        corpus={this.#corpus ?? this.#srcCorpus}
      />,
    );
  }

  readonly #onPainted = (): void => {
    this.#startClient();
    if (this.#ready) return;
    this.#ready = true;
    const c = this.#store.getState().computed;
    const detail: ReadyDetail = { tokens: c?.tokens ?? [], heads: c?.result.heads.length ?? 0 };
    this.dispatchEvent(new CustomEvent('attention-lab:ready', { detail, bubbles: true, composed: true }));
  };
}

/** Defines <attention-lab> once (a second copy of the script on the page is harmless). */
export function defineAttentionLab(): void {
  if (typeof customElements !== 'undefined' && !customElements.get(TAG)) customElements.define(TAG, AttentionLabElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'attention-lab': AttentionLabElement;
  }
}

// The widget's CSS, inlined as strings (never injected into the host document) and shared by every
// widget on the page through constructed style sheets. KaTeX's CSS is not part of the first load: the
// chunk of the views that use it (widget/katexViews.ts) adds it with addStyles when it loads.
import themeCssRaw from '../components/theme.css?inline';
import viewsCssRaw from '../components/views.css?inline';
import widgetCssRaw from './widget.css?inline';

// String(…): with a relative base the inlined CSS is an expression ("…url(" + new URL(…).href + ")…")
// that the bundler folds into the use site without parentheses; a call keeps it whole.
const themeCss = String(themeCssRaw);
const viewsCss = String(viewsCssRaw);
const widgetCss = String(widgetCssRaw);

/** @font-face does not work inside shadow roots: the font rules are split off (see registerFonts). */
const FONT_FACE = /@font-face\s*\{[^}]*\}/g;

const SHADOW_CSS = [themeCss, viewsCss, widgetCss].join('\n');

interface Sheet {
  css: string;
  sheet: CSSStyleSheet | null;
}

/** Every style sheet of the widgets, in order: the first load's, then any a lazy chunk added. */
const sheets: Sheet[] = [{ css: SHADOW_CSS, sheet: null }];
/** The widgets' shadow roots (weakly: a removed widget is not kept alive by its styles). */
const roots: WeakRef<ShadowRoot>[] = [];
/** @font-face rules still to register at document level. */
const pendingFonts: string[] = [];

const constructable = () => typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype;

function adoptInto(root: ShadowRoot, s: Sheet): void {
  if ('adoptedStyleSheets' in root && constructable()) {
    if (!s.sheet) {
      s.sheet = new CSSStyleSheet();
      s.sheet.replaceSync(s.css);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, s.sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = s.css;
  root.appendChild(style);
}

/** Puts the widget's styles into a shadow root (shared constructed sheets where supported). */
export function adoptStyles(root: ShadowRoot): void {
  roots.push(new WeakRef(root));
  for (const s of sheets) adoptInto(root, s);
}

/**
 * Adds a style sheet to every widget, present and future (a lazy chunk's CSS). Its @font-face rules
 * are registered at document level (see registerFonts) once a widget is on the page.
 */
export function addStyles(css: string): void {
  const fonts = css.match(FONT_FACE) ?? [];
  const s: Sheet = { css: css.replace(FONT_FACE, ''), sheet: null };
  sheets.push(s);
  pendingFonts.push(...fonts);
  let live = 0;
  for (let k = roots.length - 1; k >= 0; k--) {
    const root = roots[k].deref();
    if (!root) roots.splice(k, 1);
    else {
      adoptInto(root, s);
      live++;
    }
  }
  if (live > 0) registerFonts();
}

/**
 * Fonts of the added sheets (KaTeX's: font-family "KaTeX_*" only, so nothing of the host changes),
 * registered once at document level through the FontFace API, since @font-face inside a shadow root
 * is ignored.
 */
export function registerFonts(): void {
  if (pendingFonts.length === 0 || typeof document === 'undefined' || !('fonts' in document) || typeof FontFace !== 'function') return;
  for (const rule of pendingFonts.splice(0)) {
    const family = /font-family:\s*([^;]+);/.exec(rule)?.[1]?.replace(/['"]/g, '').trim();
    const src = /src:\s*([^;}]+)/.exec(rule)?.[1];
    if (!family || !src) continue;
    const descriptors: FontFaceDescriptors = {
      style: /font-style:\s*(\w+)/.exec(rule)?.[1] ?? 'normal',
      weight: /font-weight:\s*(\w+)/.exec(rule)?.[1] ?? 'normal',
      display: 'block',
    };
    try {
      document.fonts.add(new FontFace(family, src.trim(), descriptors));
    } catch {
      // a font that can't be registered falls back to the system's
    }
  }
}

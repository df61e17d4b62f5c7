// The widget's own few strings (the views use the app's catalog through t()).
// Kept apart from en.ts and zh.ts, so the app's catalogs stay the app's.
import { getLang, type Lang } from './index.ts';
import { useLang } from './react.ts';

const en = {
  'w.invalid': 'attention-lab: {name}: {why}',
  'w.choice': 'expected one of {choices}, got "{got}"',
  'w.int': 'expected a whole number from {lo} to {hi}, got "{got}"',
  'w.bool': 'expected true or false, got "{got}"',
  'w.windowCausal': 'a local window needs the causal mask (add the causal attribute)',
  'w.length': 'expected a CSS length such as 320 or 20rem, got "{got}"',
  'w.tokens': 'expected a JSON array of strings or tokens separated by "|", 1 to {max} of them',
  'w.divisible': 'd = {d} is not divisible by heads = {h} (standard convention)',
  'w.src': 'could not load the case file "{src}": {why}',
  'w.case': 'the case is not valid: {why}',
  'w.http': 'HTTP {status} {statusText}',
  'w.notJsonType': 'expected a JSON file, got {type} (is the address right?)',
  'w.tooBig': 'the file is larger than {max} MB',
  'w.notJson': 'not valid JSON ({why})',
  'w.loading': 'Loading…',
  'w.text': 'Tokens',
  'w.open': 'Open in Attention Lab',
  'w.view.heatmap': 'Heatmap',
  'w.view.lines': 'Lines',
  'w.view.steps': 'Steps',
  'w.view.matrices': 'Matrices',
  'w.view.model': 'Model',
  'w.view.corpus': 'Corpus',
  'w.corpusSrc': 'could not load the corpus result "{src}": {why}',
  'w.corpus': 'the corpus result is not valid: {why}',
  'w.noCorpus': 'No corpus result given: set the corpus-src attribute or the corpus property.',
  'w.views': 'Views',
  'w.label': 'Attention explainer',
  // Share → Embed (the app's dialog)
  'e.button': 'Embed',
  'e.title': 'Embed this view',
  'e.element': 'Custom element (your page serves the widget files: copy dist/widget/ next to it)',
  'e.iframe': 'iframe (no scripts needed on your page)',
  'e.preview': 'Live preview',
  'e.copy': 'Copy',
  'e.copied': 'Copied',
  'e.close': 'Close',
} as const;

export type WidgetMessageKey = keyof typeof en;

const zh: Record<WidgetMessageKey, string> = {
  'w.invalid': 'attention-lab：{name}：{why}',
  'w.choice': '应为 {choices} 之一，实际为 "{got}"',
  'w.int': '应为 {lo} 到 {hi} 之间的整数，实际为 "{got}"',
  'w.bool': '应为 true 或 false，实际为 "{got}"',
  'w.windowCausal': '局部窗口需要因果掩码（请加上 causal 属性）',
  'w.length': '应为 CSS 长度（如 320 或 20rem），实际为 "{got}"',
  'w.tokens': '应为字符串的 JSON 数组，或以“|”分隔的词元，共 1 到 {max} 个',
  'w.divisible': 'd = {d} 不能被 heads = {h} 整除（标准约定）',
  'w.src': '无法加载案例文件 "{src}"：{why}',
  'w.case': '案例无效：{why}',
  'w.http': 'HTTP {status} {statusText}',
  'w.notJsonType': '应为 JSON 文件，实际为 {type}（地址是否正确？）',
  'w.tooBig': '文件超过 {max} MB',
  'w.notJson': '不是有效的 JSON（{why}）',
  'w.loading': '加载中…',
  'w.text': '词元',
  'w.open': '在注意力实验室中打开',
  'w.view.heatmap': '注意力头',
  'w.view.lines': '连线',
  'w.view.steps': '分步',
  'w.view.matrices': '矩阵',
  'w.view.model': '模型',
  'w.view.corpus': '语料库',
  'w.corpusSrc': '无法加载语料库结果 "{src}"：{why}',
  'w.corpus': '语料库结果无效：{why}',
  'w.noCorpus': '没有给出语料库结果：请设置 corpus-src 属性或 corpus 属性值。',
  'w.views': '视图',
  'w.label': '注意力讲解',
  'e.button': '嵌入网页',
  'e.title': '把此视图嵌入网页',
  'e.element': '自定义元素（由你的网页提供部件文件：把 dist/widget/ 复制过去）',
  'e.iframe': 'iframe（你的网页无需脚本）',
  'e.preview': '实时预览',
  'e.copy': '复制',
  'e.copied': '已复制',
  'e.close': '关闭',
};

/** Both catalogs (the glossary test reads them). */
export const WIDGET_CATALOGS: Record<Lang, Record<WidgetMessageKey, string>> = { en, zh };

/** A widget message in `lang` (default: the page's language). */
export function wt(key: WidgetMessageKey, params: Record<string, string | number> = {}, lang: Lang = getLang()): string {
  const template: string = WIDGET_CATALOGS[lang]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

type WidgetTranslate = (key: WidgetMessageKey, params?: Record<string, string | number>) => string;

const BOUND: Record<Lang, WidgetTranslate> = {
  en: (key, params) => wt(key, params, 'en'),
  zh: (key, params) => wt(key, params, 'zh'),
};

/** wt() in the language of this React subtree (a widget's own `lang`, see LangContext). */
export function useWt(): WidgetTranslate {
  return BOUND[useLang()];
}

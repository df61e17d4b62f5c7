// The catalogs and lessons speak the glossary's words, and 中文 text is typeset the same way everywhere.
import { describe, expect, it } from 'vitest';
import { LESSONS } from '../app/lessons/index.ts';
import { en } from './en.ts';
import { GLOSSARY } from './glossary.ts';
import { WIDGET_CATALOGS } from './widget.ts';
import { zh } from './zh.ts';
import { enModel } from './en-model.ts';
import { zhModel } from './zh-model.ts';

type Texts = [where: string, text: string][];

function lessonTexts(lang: 'en' | 'zh'): Texts {
  const out: Texts = [];
  for (const l of LESSONS) {
    out.push([`${l.id}.title`, l.title[lang]], [`${l.id}.summary`, l.summary[lang]]);
    l.steps.forEach((s, k) => {
      out.push([`${l.id}.${k}.title`, s.title[lang]], [`${l.id}.${k}.text`, s.text[lang]]);
      if (s.exercise) out.push([`${l.id}.${k}.question`, s.exercise.question[lang]]);
      if (s.exercise?.explain) out.push([`${l.id}.${k}.explain`, s.exercise.explain[lang]]);
      if (s.exercise?.teacher) out.push([`${l.id}.${k}.teacher`, s.exercise.teacher[lang]]);
    });
  }
  return out;
}

const ZH: Texts = [...Object.entries(zh), ...Object.entries(WIDGET_CATALOGS.zh).map(([k, v]): [string, string] => [`widget ${k}`, v]), ...lessonTexts('zh')];
const EN: Texts = [...Object.entries(en), ...Object.entries(WIDGET_CATALOGS.en).map(([k, v]): [string, string] => [`widget ${k}`, v]), ...lessonTexts('en')];

const hits = (texts: Texts, bad: string | RegExp) => texts.filter(([, s]) => (typeof bad === 'string' ? s.includes(bad) : bad.test(s))).map(([k, s]) => `${k}: ${s}`);

describe('glossary', () => {
  it('has one entry per concept, each in both languages', () => {
    const ids = GLOSSARY.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of GLOSSARY) {
      expect(g.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(g.en).toMatch(/[a-z]/i);
      expect(g.note.zh, g.id).toMatch(/[\u4e00-\u9fff]/);
      expect(g.note.en.length, g.id).toBeGreaterThan(0);
    }
  });

  it('no 中文 catalog, widget string or lesson uses a variant the glossary rejects', () => {
    for (const g of GLOSSARY) for (const bad of g.avoid ?? []) expect(hits(ZH, bad), `${g.id}: ${String(bad)}`).toEqual([]);
  });

  it('no English catalog, widget string or lesson uses a variant the glossary rejects', () => {
    for (const g of GLOSSARY) for (const bad of g.avoidEn ?? []) expect(hits(EN, bad), `${g.id}: ${String(bad)}`).toEqual([]);
  });

  it('every term is one the interface actually uses', () => {
    const simple = GLOSSARY.filter((g) => !/[ /·（]/.test(g.zh));
    for (const g of simple) expect(hits(ZH, g.zh).length, g.id).toBeGreaterThan(0);
  });

  it('the widget names the views as the app’s tabs do', () => {
    const z = WIDGET_CATALOGS.zh;
    expect([z['w.view.heatmap'], z['w.view.lines'], z['w.view.matrices'], z['w.view.steps'], z['w.view.model']]).toEqual([
      zh['tab.heads'],
      zh['tab.lines'],
      zh['tab.matrices'],
      zh['tab.steps'],
      zhModel['tab.model'],
    ]);
    expect(enModel['tab.model']).toBe('Model');
  });

  it('gives the article’s wording for what the article names differently (n, d, parameters, output, heads, A)', () => {
    const article = new Map(GLOSSARY.map((g) => [g.id, g.article]));
    for (const id of ['seq-length', 'dimension', 'projection', 'output', 'head', 'attention-weights']) expect(article.get(id), id).toMatch(/[\u4e00-\u9fff]/);
    expect(article.get('head')).toContain('自注意力层');
  });

  it('says once where A has the article’s name (A（原文称关系矩阵）)', () => {
    expect(hits(ZH, '原文称关系矩阵')).toHaveLength(1);
  });
});

describe('中文 typesetting', () => {
  it('puts a space between Chinese and Latin letters, digits or {placeholders}', () => {
    const glued = /[\u4e00-\u9fff][A-Za-z0-9{]|[A-Za-z0-9}][\u4e00-\u9fff]/;
    // The one exception: a placeholder that stands for Chinese text ({kind} is 顺序 or 发散).
    expect(hits(ZH, glued).filter((s) => !s.startsWith('legend.aria'))).toEqual([]);
  });

  it('puts no space after a full stop 。 and no ASCII colon after Chinese', () => {
    expect(hits(ZH, /。 /)).toEqual([]);
    expect(hits(ZH, /[\u4e00-\u9fff]: /)).toEqual([]);
  });

  it('says what a bare ordinal counts: 第 {k} 名 / 层 / 步 …, never “第 {k}” alone', () => {
    expect(hits(ZH, /第 \{\w+\}(?! ?[名层步个行列到课]| ?\/)/)).toEqual([]);
  });

  it('quotes token labels inside a sentence (“它”最关注“马路”), with no space around the quotes', () => {
    for (const key of ['lessons.correct', 'lessons.wrong'] as const) {
      expect(zh[key], key).not.toMatch(/(^|[^“])\{(query|key|chosen)\}/);
      expect(zh[key], key).not.toMatch(/ “|” /);
    }
  });

  it('calls the widget’s button 嵌入网页: 嵌入 alone is the input embedding', () => {
    expect(WIDGET_CATALOGS.zh['e.button']).toBe('嵌入网页');
    expect(hits(ZH, /嵌入(?!网页)/).every((h) => !h.startsWith('widget e.'))).toBe(true);
  });

  it('quotes with full-width “” (half-width " only around a raw value "{got}" or in the JSON sample)', () => {
    const bad = ZH.filter(([k, s]) => k !== 'case.pastePlaceholder' && /"/.test(s.replace(/"\{\w+\}"/g, '')));
    expect(bad).toEqual([]);
  });
});

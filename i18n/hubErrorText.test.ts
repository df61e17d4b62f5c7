// Why a model could not be downloaded or opened, in both languages: every reason the Hub code and the
// model loader give is in both catalogs with the same parameters; in English the page shows exactly the
// engine's message; in 中文 real errors (a bad reference, a bad Hub URL, a missing local file, an HTTP
// error, a bad shard index) read in Chinese with their names and numbers kept, also after postMessage.
import { describe, expect, it } from 'vitest';
import { localCheckpoint } from '../compute/hub/local.ts';
import { parseShardIndex } from '../compute/hub/layout.ts';
import { HUB_WORDING, HubHttpError, hubErrorInfo, type HubReason } from '../engine/checkpoint/hubErrors.ts';
import { normalizeHubUrl, parseHubRef } from '../engine/checkpoint/hubRef.ts';
import { en } from './en.ts';
import { hubErrorText, hubProblemText } from './hubErrorText.ts';
import { zh } from './zh.ts';

const HAN = /[\u4e00-\u9fff]/;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('hub error wordings', () => {
  const reasons = Object.keys(HUB_WORDING) as HubReason[];

  it('every reason is in both catalogs, with the same parameters, and the Chinese is Chinese', () => {
    for (const r of reasons) {
      const key = `hubError.${r}` as const;
      expect(en[key], r).toBe(HUB_WORDING[r]);
      expect(placeholders(zh[key]), r).toEqual(placeholders(HUB_WORDING[r]));
      // model-file is "{file}: {why}": the model file's own complaint, nothing to word.
      if (r !== 'model-file') expect(zh[key], r).toMatch(HAN);
    }
  });

  it('in English the page shows exactly the engine’s message (every reason, filled)', () => {
    for (const r of reasons) {
      const params = Object.fromEntries(placeholders(HUB_WORDING[r]).map((p, k) => [p, k % 2 ? k * 7 : `<${p}>`]));
      const text = hubProblemText({ reason: r, params }, 'en');
      expect(text, r).not.toMatch(/\{\w+\}/);
      expect(text).toBe(HUB_WORDING[r].replace(/\{(\w+)\}/g, (_, p: string) => String(params[p])));
    }
  });

  it('a bad Hub reference and a bad Hub URL, in Chinese, keep what was typed', () => {
    const ref = thrown(() => parseHubRef('hf:gpt2'));
    expect(hubErrorText(ref, 'en')).toBe((ref as Error).message);
    expect(hubErrorText(ref, 'zh')).toBe('Hub 引用 "hf:gpt2"：应为 owner/name，恰好含一个 “/”');
    const char = thrown(() => parseHubRef('hf:own er/name'));
    expect(hubErrorText(char, 'zh')).toBe('Hub 引用 "hf:own er/name"：所有者（owner）含有字符 " "；只允许字母、数字、“-”、“_” 和 “.”');
    const url = thrown(() => normalizeHubUrl('ftp://mirror.example'));
    expect(hubErrorText(url, 'zh')).toBe('Hub 地址 "ftp://mirror.example"：只允许 http 和 https');
  });

  it('a local folder without config.json, an HTTP error and a bad shard index, in Chinese', async () => {
    const local = await rejected(localCheckpoint([{ path: 'ckpt/model.safetensors', file: new Blob([new Uint8Array(8)]) }], 'ckpt'));
    expect((local as Error).message).toBe('"ckpt" has no config.json. Found: "ckpt/model.safetensors"');
    expect(hubErrorText(local, 'zh')).toBe('"ckpt" 中没有 config.json。找到的文件："ckpt/model.safetensors"');
    const http = new HubHttpError('config.json', 404, 'Not Found', 'http://hub/a/b/resolve/main/config.json');
    expect(hubErrorText(http, 'zh')).toBe('config.json：http://hub/a/b/resolve/main/config.json 返回 HTTP 404 Not Found');
    const index = thrown(() => parseShardIndex(new TextEncoder().encode('{"weight_map": {}}')));
    expect(hubErrorText(index, 'zh')).toBe('model.safetensors.index.json：“weight_map” 是空的');
  });

  it('what the worker posts (structured-cloned data) reads the same as the error itself; other errors keep their message', () => {
    const err = thrown(() => parseHubRef('hf:a/b@'));
    const posted = structuredClone(hubErrorInfo(err));
    expect(hubErrorText(posted, 'zh')).toBe(hubErrorText(err, 'zh'));
    expect(hubErrorText(posted, 'zh')).toBe('Hub 引用 "hf:a/b@"：“@” 后面的版本（revision）为空');
    expect(hubErrorText(new TypeError('boom'), 'zh')).toBe('boom');
    expect(hubErrorText({ reason: 'not-a-reason', params: {} }, 'zh')).toBe('[object Object]');
  });
});

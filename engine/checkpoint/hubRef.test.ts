import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HubReferenceError } from './hubErrors.ts';
import { DEFAULT_HUB, type HubRef, formatHubRef, hubFromQuery, normalizeHubUrl, parseHubRef, resolveUrl } from './hubRef.ts';

const ref = (owner: string, name: string, revision = 'main'): HubRef => ({ owner, name, revision });

/** The message of the HubReferenceError `fn` throws (fails the test if it throws anything else or nothing). */
function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HubReferenceError);
    return (err as Error).message;
  }
  throw new Error('expected a HubReferenceError');
}

describe('parseHubRef / formatHubRef', () => {
  it('parses the forms a link or a text box holds', () => {
    expect(parseHubRef('hf:openai-community/gpt2')).toEqual(ref('openai-community', 'gpt2'));
    expect(parseHubRef('HuggingFaceTB/SmolLM2-135M')).toEqual(ref('HuggingFaceTB', 'SmolLM2-135M'));
    expect(parseHubRef('hf:EleutherAI/pythia-14m@v1.0')).toEqual(ref('EleutherAI', 'pythia-14m', 'v1.0'));
    expect(parseHubRef('hf:Qwen/Qwen2.5-0.5B@refs/pr/1')).toEqual(ref('Qwen', 'Qwen2.5-0.5B', 'refs/pr/1'));
    const sha = '607a30d783dfa663caf39e06633721c8d4cfcd7e';
    expect(parseHubRef(`hf:openai-community/gpt2@${sha}`).revision).toBe(sha);
  });

  it('formats without @main and with any other revision', () => {
    expect(formatHubRef(ref('a', 'b'))).toBe('hf:a/b');
    expect(formatHubRef(ref('a', 'b', 'dev'))).toBe('hf:a/b@dev');
  });

  it('names what is wrong', () => {
    expect(rejection(() => parseHubRef(''))).toMatch(/is empty/);
    expect(rejection(() => parseHubRef('hf:gpt2'))).toMatch(/exactly one '\/'/);
    expect(rejection(() => parseHubRef('hf:a/b/c'))).toMatch(/exactly one '\/'/);
    expect(rejection(() => parseHubRef('hf:/gpt2'))).toMatch(/the owner is empty/);
    expect(rejection(() => parseHubRef('hf:a/'))).toMatch(/the name is empty/);
    expect(rejection(() => parseHubRef('hf:a/b c'))).toMatch(/the name has the character " "/);
    expect(rejection(() => parseHubRef('hf:<script>/x'))).toMatch(/the owner has the character "<"/);
    expect(rejection(() => parseHubRef('hf:a/b..c'))).toMatch(/'\.\.'/);
    expect(rejection(() => parseHubRef('hf:a/b--c'))).toMatch(/'--'/);
    expect(rejection(() => parseHubRef('hf:-a/b'))).toMatch(/must start and end/);
    expect(rejection(() => parseHubRef('hf:a/b.'))).toMatch(/must start and end/);
    expect(rejection(() => parseHubRef('hf:a/b.git'))).toMatch(/'\.git'/);
    expect(rejection(() => parseHubRef(`hf:a/${'x'.repeat(97)}`))).toMatch(/longer than 96/);
    expect(rejection(() => parseHubRef('hf:a/b@'))).toMatch(/revision after '@' is empty/);
    expect(rejection(() => parseHubRef('hf:a/b@x y'))).toMatch(/the revision may only have/);
    expect(rejection(() => parseHubRef('hf:a/b@../main'))).toMatch(/not a valid branch/);
    expect(rejection(() => parseHubRef('hf:a/b@a//b'))).toMatch(/not a valid branch/);
    expect(rejection(() => parseHubRef('hf:a/b@main@dev'))).toMatch(/the revision may only have/);
    expect(rejection(() => parseHubRef(`hf:a/b@${'r'.repeat(129)}`))).toMatch(/longer than 128/);
  });

  it('clips a long hostile string in the message', () => {
    const message = rejection(() => parseHubRef(`hf:${'<'.repeat(10_000)}/x`));
    expect(message.length).toBeLessThan(300);
  });

  const part = fc.stringMatching(/^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,20}[A-Za-z0-9_])?$/).filter((p) => !p.includes('..') && !p.includes('--') && !p.endsWith('.git'));
  const revision = fc.oneof(
    fc.constant('main'),
    fc.stringMatching(/^[0-9a-f]{40}$/),
    fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_-]{0,15}(?:\/[A-Za-z0-9_-]{1,8}){0,2}$/),
  );
  const refs = fc.record({ owner: part, name: part, revision });

  it('format(parse(x)) round-trips every valid reference', () => {
    fc.assert(
      fc.property(refs, (r) => {
        const text = formatHubRef(r);
        expect(parseHubRef(text)).toEqual(r);
        expect(formatHubRef(parseHubRef(text))).toBe(text);
      }),
    );
  });

  it('random strings either parse to a reference that round-trips or throw HubReferenceError', () => {
    const junk = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string().map((s) => `hf:${s}`), fc.tuple(part, fc.string(), fc.string()).map(([a, b, c]) => `hf:${a}/${b}@${c}`));
    fc.assert(
      fc.property(junk, (text) => {
        try {
          const parsed = parseHubRef(text);
          expect(parseHubRef(formatHubRef(parsed))).toEqual(parsed);
        } catch (err) {
          expect(err).toBeInstanceOf(HubReferenceError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hub URLs', () => {
  it('normalises without a trailing slash and keeps a mirror path', () => {
    expect(normalizeHubUrl('https://huggingface.co/')).toBe(DEFAULT_HUB);
    expect(normalizeHubUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(normalizeHubUrl('https://HF-Mirror.example/hub//')).toBe('https://hf-mirror.example/hub');
  });

  it('rejects other schemes, credentials, queries and non-URLs', () => {
    expect(rejection(() => normalizeHubUrl('javascript:alert(1)'))).toMatch(/only http and https/);
    expect(rejection(() => normalizeHubUrl('file:///etc'))).toMatch(/only http and https/);
    expect(rejection(() => normalizeHubUrl('https://user:pw@example.com'))).toMatch(/user name or password/);
    expect(rejection(() => normalizeHubUrl('https://example.com/?a=1'))).toMatch(/query or fragment/);
    expect(rejection(() => normalizeHubUrl('huggingface.co'))).toMatch(/not a URL/);
  });

  it('reads ?hub= from a query string', () => {
    expect(hubFromQuery('?hub=http%3A%2F%2F127.0.0.1%3A9%2F')).toBe('http://127.0.0.1:9');
    expect(hubFromQuery('?model=hf:a/b')).toBeNull();
    expect(() => hubFromQuery('?hub=ftp://x')).toThrow(HubReferenceError);
  });

  it('builds resolve URLs with the revision as one path segment', () => {
    expect(resolveUrl(DEFAULT_HUB, ref('openai-community', 'gpt2'), 'config.json')).toBe('https://huggingface.co/openai-community/gpt2/resolve/main/config.json');
    expect(resolveUrl('http://h', ref('a', 'b', 'refs/pr/1'), 'model.safetensors')).toBe('http://h/a/b/resolve/refs%2Fpr%2F1/model.safetensors');
  });
});

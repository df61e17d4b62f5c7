// tokenizer.json carries regular expressions (Split pre-tokenizers, Replace normalizers and decoders) that
// @huggingface/tokenizers compiles as given, and JavaScript's backtracking engine runs some of them in time
// exponential in the text: `(a+)+$` on 26 a's takes seconds, on 40 hours. The classic shape is a repeated
// group that itself contains a repetition (star height above one); no tokenizer of a real model has it, so
// such a pattern is refused by name before it is compiled. Other slow shapes (overlapping alternatives under
// a repetition, such as `(a|a)*`) are not recognised here: the compute worker's watchdog stops them.
// A repetition of fixed count ({3}) splits the text one way only and does not count.

/**
 * The quantifier at `i` (after an atom), if any: whether it lets the count vary (?, *, +, {n,m} with m > n:
 * the ways to split the text multiply) and whether it repeats more than once.
 */
function quantifierAt(p: string, i: number): { varies: boolean; many: boolean; end: number } | null {
  const c = p[i];
  if (c === '*' || c === '+') return { varies: true, many: true, end: i + 1 };
  if (c === '?') return { varies: true, many: false, end: i + 1 };
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
    if (!m) return null; // a literal brace
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { varies: max > min, many: max > 1, end: i + m[0].length };
  }
  return null;
}

/**
 * The first repeated group whose body repeats too, as written in the pattern (e.g. "(a+)+"), or null.
 * A tolerant scan, not a full parser: escapes and character classes are skipped, every kind of group counts.
 */
export function nestedRepetition(pattern: string): string | null {
  // One frame per open group: where it starts and whether its body holds a repetition of varying count.
  const stack: { start: number; repeats: boolean }[] = [{ start: 0, repeats: false }];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    let atomEnd = i + 1;
    let closed: { start: number; repeats: boolean } | null = null;
    if (c === '\\') {
      // \p{L}, \u{1F600}: the braces belong to the escape, they are not a repetition.
      atomEnd = /[pPu]/.test(pattern[i + 1] ?? '') && pattern[i + 2] === '{' && pattern.indexOf('}', i) > 0 ? pattern.indexOf('}', i) + 1 : i + 2;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (c === '(') {
      stack.push({ start: i, repeats: false });
      i++;
      continue;
    } else if (c === ')') {
      if (stack.length > 1) closed = stack.pop()!;
    } else if (c === '|' || c === '^' || c === '$') {
      i++;
      continue;
    }
    const q = quantifierAt(pattern, atomEnd);
    if (q) {
      if (q.varies && q.many && closed?.repeats) return pattern.slice(closed.start, q.end);
      if (q.varies) stack[stack.length - 1].repeats = true;
      atomEnd = q.end;
      if (pattern[atomEnd] === '?' || pattern[atomEnd] === '+') atomEnd++; // lazy or possessive marker
    }
    // A group whose body repeats makes its parent's body repeat too.
    if (closed?.repeats) stack[stack.length - 1].repeats = true;
    i = atomEnd;
  }
  return null;
}

/** Every `{"Regex": "…"}` pattern in a tokenizer.json (outside the vocabulary), with its JSON path. */
export function tokenizerPatterns(json: Record<string, unknown>): { path: string; regex: string }[] {
  const out: { path: string; regex: string }[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, k) => walk(x, `${path}[${k}]`));
    else if (typeof v === 'object' && v !== null) {
      for (const [key, x] of Object.entries(v)) {
        if (key === 'Regex' && typeof x === 'string') out.push({ path: `${path}.Regex`, regex: x });
        else walk(x, path ? `${path}.${key}` : key);
      }
    }
  };
  for (const [key, v] of Object.entries(json)) if (key !== 'model' && key !== 'added_tokens') walk(v, key);
  return out;
}

// Lesson 8: the KV cache on the example sentence, read one token at a time (each step shows the tokens so
// far): each new query is one new row of A, computed from the cached keys and values plus its own, equal to
// the full causal recomputation; the cost counter shows one row per step instead of the whole matrix.
import { sentenceCase } from './sentence.ts';
import type { Lesson } from './types.ts';

export const kvCache: Lesson = {
  id: 'kv-cache',
  title: { en: '8. The KV cache', zh: '8. 键值缓存' },
  summary: {
    en: 'Generating one token at a time: keep every key and value, compute only the new row of A — the same numbers at a fraction of the work.',
    zh: '一次生成一个词元：保存所有的键和值，只计算 A 的新一行——数字完全一样，计算量却少得多。',
  },
  case: sentenceCase(true),
  steps: [
    {
      title: { en: 'The first token', zh: '第一个词元' },
      text: {
        en: 'A model writes text one token at a time, each time attending to everything before. The first token, “animal”, is projected once; its key {K[0]} and value {V[0]} are kept: the KV cache. Its row of A is just {A[0][0]}: it can only see itself.',
        zh: '模型一次写一个词元，每次都关注之前的全部内容。第一个词元“动物”只投影一次；它的键 {K[0]} 和值 {V[0]} 被保存下来：这就是键值缓存。它在 A 中的那一行只有 {A[0][0]}：它只能看到自己。',
      },
      tex: '\\text{cache} = \\{(k_0, v_0)\\}',
      view: 'heads',
      state: { causal: true, prefix: 1 },
      highlight: { cell: { row: 0, col: 0 } },
    },
    {
      title: { en: 'One new row', zh: '新的一行' },
      text: {
        en: '“street” arrives. Only its own q = {Q[1]}, k = {K[1]} and v = {V[1]} are computed; k and v join the cache. Its scores against the {HELD[1]} cached keys are {CS[1][0]} and {CS[1][1]}, and softmax gives {CA[1][0]} and {CA[1][1]}. The heatmap has grown by one row, with the same numbers: {A[1][0]}, {A[1][1]}.',
        zh: '“街道”来了。只计算它自己的 q = {Q[1]}、k = {K[1]} 和 v = {V[1]}；k 和 v 加入缓存。它对 {HELD[1]} 个缓存的键的分数是 {CS[1][0]} 和 {CS[1][1]}，softmax 之后是 {CA[1][0]} 和 {CA[1][1]}。热力图多了一行，数字相同：{A[1][0]}、{A[1][1]}。',
      },
      tex: 'a_t = \\mathrm{softmax}\\!\\left(\\frac{q_t\\, [k_0 \\cdots k_t]^{\\top}}{\\sqrt{d}}\\right)',
      view: 'heads',
      state: { causal: true, prefix: 2 },
      highlight: { cell: { row: 1, col: 0 } },
    },
    {
      title: { en: 'The same as recomputing everything', zh: '与全部重算完全一样' },
      text: {
        en: '“it” is the fourth token: the cache holds the keys and values of “animal”, “street” and “because”, and now its own. Its weights from the cache are {CA[3][0]}, {CA[3][1]}, {CA[3][2]}, {CA[3][3]} and its output z = {CZ[3]}. Recomputing the whole causal matrix gives row 4 of A as {A[3][0]}, {A[3][1]}, {A[3][2]}, {A[3][3]} and z = {Z[3]}: equal, because earlier tokens never see later ones, so their keys and values never change.',
        zh: '“它”是第四个词元：缓存里有“动物”“街道”“因为”的键和值，现在又加上它自己的。它从缓存算出的权重是 {CA[3][0]}、{CA[3][1]}、{CA[3][2]}、{CA[3][3]}，输出 z = {CZ[3]}。把整个因果矩阵重算一遍，A 的第 4 行是 {A[3][0]}、{A[3][1]}、{A[3][2]}、{A[3][3]}，z = {Z[3]}：完全相同，因为前面的词元从来看不到后面的词元，它们的键和值永远不变。',
      },
      tex: 'z_t = \\sum_{j \\le t} a_{tj}\\, v_j',
      view: 'steps',
      state: { causal: true, prefix: 4 },
      highlight: { cell: { row: 3, col: 0 }, step: 4 },
    },
    {
      title: { en: 'The cost counter', zh: '计算量计数' },
      text: {
        en: '“tired”, the sixth token. Counting multiply-adds (projections, q·k and the weighted sum): with the cache this step costs {COST[5]}, recomputing all six tokens {RECOMP[5]}. Over the six steps: {TCOST[5]} against {TRECOMP[5]}. A cached step grows with n (one new row), a recomputation with n² (the whole matrix) — at thousands of tokens that is the difference between writing and waiting.',
        zh: '“累”是第六个词元。数一数乘加次数（投影、q·k 和加权求和）：有缓存时这一步要 {COST[5]} 次，把六个词元全部重算要 {RECOMP[5]} 次。六步加起来：{TCOST[5]} 对 {TRECOMP[5]}。有缓存的一步随 n 增长（只算新的一行），重算则随 n² 增长（整个矩阵）——到了几千个词元，这就是流畅输出与漫长等待的区别。',
      },
      tex: 'O(n) \\text{ per step with the cache},\\quad O(n^2) \\text{ without}',
      view: 'heads',
      state: { causal: true, prefix: 6 },
      highlight: { cell: { row: 5, col: 5 } },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: '“tired” = {X[5]} meets the six cached keys: animal {K[0]}, street {K[1]}, because {K[2]}, it {K[3]}, was {K[4]} and its own {K[5]}.',
        zh: '“累” = {X[5]} 面对缓存中的六个键：动物 {K[0]}、街道 {K[1]}、因为 {K[2]}、它 {K[3]}、太 {K[4]}，以及它自己的 {K[5]}。',
      },
      tex: 'q_{\\text{tired}} \\cdot k_j',
      view: 'heads',
      state: { causal: true, prefix: 6 },
      exercise: {
        question: { en: 'Which cached key will “tired” attend to most?', zh: '“累”最关注缓存中的哪个键？' },
        query: 5,
        explain: {
          en: 'The cache changes how much work is done, not the numbers: “tired” = (1, 2) meets the same six keys as without a cache. Its dot product with itself is 1 + 4 = 5, larger than with “street” (4) or “animal” (3), so its own key wins.',
          zh: '缓存改变的是计算量，而不是数值：“累” = (1, 2) 遇到的仍是同样的六个键。它与自己的点积是 1 + 4 = 5，比与“街道”（4）或“动物”（3）的都大，所以最关注它自己的键。',
        },
        teacher: {
          en: 'A common slip is to think a cached key is somehow older or weaker than the new one. Ask students to compute the six dot products by hand: the cache only spares recomputing the keys, it never changes them.',
          zh: '常见的误解是以为缓存里的键比新键“旧”或“弱”。可以让学生手算这六个点积：缓存只是省去了重算键，从不改变键的值。',
        },
      },
    },
  ],
};

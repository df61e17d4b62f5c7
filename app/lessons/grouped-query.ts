// Lesson 6: grouped-query attention on a real model (stories260K: 8 query heads share 4 key/value heads):
// which heads share, that sharing heads see the very same keys yet attend differently (their queries
// differ), and what sharing saves in the KV cache. Every number comes from the model's run.
import { STORIES_260K, STORY_TEXT } from './models.ts';
import type { Lesson, StepModel } from './types.ts';

const ON: StepModel = { id: STORIES_260K, text: STORY_TEXT, layer: 1 };

export const groupedQuery: Lesson = {
  id: 'grouped-query',
  title: { en: '6. Grouped-query attention (GQA)', zh: '6. 分组查询注意力（GQA）' },
  summary: {
    en: 'Several query heads share one key/value head: the same keys, different questions — and a much smaller KV cache.',
    zh: '几个查询头共享一个键/值头：同样的键，不同的问题——键值缓存也小得多。',
  },
  steps: [
    {
      title: { en: 'Fewer keys than queries', zh: '键比查询少' },
      text: {
        en: 'Every layer of this model has {HEADS} query heads but only {KVHEADS} key/value heads. Query heads {KVQ[0][0]} and {KVQ[0][1]} read key/value head 1, heads {KVQ[1][0]} and {KVQ[1][1]} read key/value head 2, and so on: grouped-query attention (GQA). The Model view marks the key/value head of every tile.',
        zh: '这个模型每层有 {HEADS} 个查询头，却只有 {KVHEADS} 个键/值头。查询头 {KVQ[0][0]} 和 {KVQ[0][1]} 读取键/值头 1，头 {KVQ[1][0]} 和 {KVQ[1][1]} 读取键/值头 2，依此类推：这就是分组查询注意力（GQA）。“模型”视图在每个格子上标出它的键/值头。',
      },
      tex: 'K^{h} = X W^{K}_{g(h)},\\quad V^{h} = X W^{V}_{g(h)},\\qquad g(h) = \\left\\lceil h \\cdot G / H \\right\\rceil',
      view: 'model',
      state: { model: ON },
      highlight: { head: 0 },
    },
    {
      title: { en: 'The same keys', zh: '同样的键' },
      text: {
        en: 'Heads 1 and 2 of layer {LAYER} both read key/value head {KVOF[0]}: the same $W^K$ and $W^V$, so every token has the same key and value in both. The key of the token at position 4 is {h1:K[4]} in head 1 and {h2:K[4]} in head 2.',
        zh: '第 {LAYER} 层的头 1 和头 2 都读取键/值头 {KVOF[0]}：同样的 $W^K$ 和 $W^V$，所以每个词元在两个头里的键和值都相同。位置 4 上词元的键在头 1 中是 {h1:K[4]}，在头 2 中是 {h2:K[4]}。',
      },
      tex: 'k^{1}_j = k^{2}_j,\\qquad v^{1}_j = v^{2}_j',
      view: 'matrices',
      state: { model: ON },
      highlight: { head: 1 },
    },
    {
      title: { en: 'Different questions, different maps', zh: '不同的问题，不同的图' },
      text: {
        en: 'Their queries are their own: at position 8, head 1 asks with {h1:Q[8]}, head 2 with {h2:Q[8]}. Against the same keys that gives different weights: the query at position 8 gives the key at position 2 {h1:A[8][2]} in head 1 but {h2:A[8][2]} in head 2, and the key at position 7 {h1:A[8][7]} and {h2:A[8][7]}. Compare the two heatmaps.',
        zh: '它们的查询各不相同：在位置 8，头 1 的查询是 {h1:Q[8]}，头 2 的是 {h2:Q[8]}。面对同样的键，权重就不同了：位置 8 的查询在头 1 中给位置 2 的键 {h1:A[8][2]}，在头 2 中却给 {h2:A[8][2]}；给位置 7 的键分别是 {h1:A[8][7]} 和 {h2:A[8][7]}。请比较这两张热力图。',
      },
      tex: 'A^{h} = \\mathrm{softmax}\\!\\left(\\frac{Q^{h} {K^{g(h)}}^{\\top}}{\\sqrt{d_k}}\\right)',
      view: 'heads',
      state: { model: ON },
      highlight: { head: 1, cell: { row: 8, col: 2 } },
    },
    {
      title: { en: 'What sharing saves', zh: '共享省下了什么' },
      text: {
        en: 'While it generates, a model keeps K and V of every token it has read, in every layer: the KV cache (lesson 8). Here that is 2 × {LAYERS} layers × {KVHEADS} key/value heads × {DHEAD} = {KVN} numbers per token; with a key/value head for every query head it would be {KVNU}. For the whole context of {CTX} tokens, in float32: {KVMB} MB instead of {KVMBU} MB. In large models this, not the weights, is what limits long texts.',
        zh: '生成文本时，模型要在每一层保存它读过的每个词元的 K 和 V：这就是键值缓存（第 8 课）。这里每个词元需要 2 × {LAYERS} 层 × {KVHEADS} 个键/值头 × {DHEAD} = {KVN} 个数；如果每个查询头都有自己的键/值头，就要 {KVNU} 个。整个上下文 {CTX} 个词元，用 float32 存储：{KVMB} MB，而不是 {KVMBU} MB。在大模型里，限制长文本的正是它，而不是权重。',
      },
      tex: '2 \\cdot L \\cdot G \\cdot d_k \\ \\text{numbers per token}',
      view: 'model',
      state: { model: ON },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Head 2 of layer {LAYER} reads exactly the keys of head 1; only its queries are its own. Look at the query at position 8.',
        zh: '第 {LAYER} 层的头 2 读取的键和头 1 完全相同，只有查询是它自己的。请看位置 8 上的查询。',
      },
      tex: 'q^{2}_8 \\cdot k_j',
      view: 'heads',
      state: { model: ON },
      highlight: { head: 1 },
      exercise: {
        question: { en: 'In head 2, which key will the query at position 8 attend to most?', zh: '在头 2 中，位置 8 上的查询最关注哪个键？' },
        query: 8,
        head: 1,
      },
    },
  ],
};

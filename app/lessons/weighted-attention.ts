// Lesson 2: weighted attention on the numbers of lesson 1: a weight w_j per key multiplies e^(s_ij).
import { IDENTITY2, LESSON_TOKENS, LESSON_X } from './self-attention.ts';
import type { Lesson } from './types.ts';

export const weightedAttention: Lesson = {
  id: 'weighted-attention',
  title: { en: '2. Weighted attention', zh: '2. 加权注意力' },
  summary: {
    en: 'A weight per key: 0 removes a key (a padding mask), larger weights pull attention towards it.',
    zh: '每个键一个权重：权重为 0 就排除这个键（填充掩码），权重越大，分到的注意力越多。',
  },
  article: { en: 'Follows the article’s §3.2, weighted attention.', zh: '对应原文第 3.2 节：加权注意力。' },
  case: {
    tokens: LESSON_TOKENS,
    X: LESSON_X,
    heads: [{ Wq: IDENTITY2, Wk: IDENTITY2, Wv: IDENTITY2 }],
    Wo: null,
    scale: null,
    causal: false,
    keyWeights: [1, 1, 1, 1],
  },
  steps: [
    {
      title: { en: 'A weight for every key', zh: '每个键一个权重' },
      text: {
        en: 'Weighted attention multiplies each exponential $e^{s_{ij}}$ by the key’s weight $w_j$ before normalising. With every $w_j = 1$ it is plain self-attention: row “it” is {A[2][0]}, {A[2][1]}, {A[2][2]}, {A[2][3]} as in lesson 1.',
        zh: '加权注意力在归一化之前把每个指数项 $e^{s_{ij}}$ 乘以该键的权重 $w_j$。所有 $w_j = 1$ 时就是普通的自注意力：“它”这一行和第 1 课一样是 {A[2][0]}、{A[2][1]}、{A[2][2]}、{A[2][3]}。',
      },
      tex: 'A_{ij} = \\frac{w_j\\, e^{s_{ij}}}{\\sum_k w_k\\, e^{s_{ik}}}',
      view: 'heads',
      state: { mechanism: 'weighted', weights: [1, 1, 1, 1] },
      highlight: { cell: { row: 2, col: 0 } },
    },
    {
      title: { en: 'Weight 0 removes a key', zh: '权重为 0 就排除这个键' },
      text: {
        en: 'Set w = {W[0]} for “animal”: its column of A becomes 0 and the other keys share the whole weight. Row “it”: {WE[2][1]}, {WE[2][2]}, {WE[2][3]} over {SUM[2]} → {A[2][1]}, {A[2][2]}, {A[2][3]}. A padding mask is exactly this 0/1 case. Why 0 removes the key: $w\\,e^{s} = e^{s + \\ln w}$, so a weight shifts the score by $\\ln w$, and $w = 0$ is a score of $-\\infty$ — exactly what the causal mask gives the keys after the query. A weight per key is this app’s reading of the article’s §3.2.',
        zh: '把“小猫”的 w 设为 {W[0]}：它在 A 中的那一列变为 0，其余的键分享全部权重。“它”这一行：{WE[2][1]}、{WE[2][2]}、{WE[2][3]} 除以 {SUM[2]} → {A[2][1]}、{A[2][2]}、{A[2][3]}。填充掩码正是这种 0/1 的情形。为什么权重 0 能排除键：$w\\,e^{s} = e^{s + \\ln w}$，权重相当于把分数平移 $\\ln w$，而 $w = 0$ 就是分数为 $-\\infty$——因果掩码给查询之后的键的正是这个值。每个键一个权重，是本应用对原文 §3.2 的理解。',
      },
      tex: 'w_j = 0 \\;\\Rightarrow\\; A_{ij} = 0',
      view: 'heads',
      state: { mechanism: 'weighted', weights: [0, 1, 1, 1] },
      highlight: { cell: { row: 2, col: 1 } },
    },
    {
      title: { en: 'Larger weights pull attention', zh: '权重越大，注意力越多' },
      text: {
        en: 'Give “street” w = {W[1]}: its term doubles. Row “it”: {WE[2][0]}, {WE[2][1]}, {WE[2][2]}, {WE[2][3]} over {SUM[2]} → {A[2][0]}, {A[2][1]}, {A[2][2]}, {A[2][3]}. The step-by-step view writes the same sums after subtracting the row’s largest score, as in lesson 1.',
        zh: '把“马路”的 w 设为 {W[1]}：它的那一项翻倍。“它”这一行：{WE[2][0]}、{WE[2][1]}、{WE[2][2]}、{WE[2][3]} 除以 {SUM[2]} → {A[2][0]}、{A[2][1]}、{A[2][2]}、{A[2][3]}。分步视图写出同样的求和，只是像第 1 课那样先减去了这一行最大的分数。',
      },
      tex: '\\sum_k w_k\\, e^{s_{ik}}',
      view: 'steps',
      state: { mechanism: 'weighted', weights: [1, 2, 1, 1] },
      highlight: { cell: { row: 2, col: 1 }, step: 2 },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Now “street” has w = {W[1]} and the others 1. Recall e^{S[2][0]} ≈ {E[2][0]}, e^{S[2][1]} = {E[2][1]}, e^{S[2][2]} ≈ {E[2][2]}.',
        zh: '现在“马路”的 w = {W[1]}，其余为 1。回忆 e^{S[2][0]} ≈ {E[2][0]}，e^{S[2][1]} = {E[2][1]}，e^{S[2][2]} ≈ {E[2][2]}。',
      },
      tex: 'w = (1, 5, 1, 1)',
      view: 'heads',
      state: { mechanism: 'weighted', weights: [1, 5, 1, 1] },
      exercise: {
        question: { en: 'Which key will “it” attend to most?', zh: '“它”最关注哪个键？' },
        query: 2,
        explain: {
          en: 'The weight multiplies “street”’s term by 5: it outgrows “animal”’s, the largest term without weights. A weight never changes the scores, only the terms they become.',
          zh: '权重把“马路”那一项乘以 5，它超过了“小猫”那一项——不加权时最大的一项。权重从不改变分数，只改变分数变成的指数项。',
        },
        teacher: {
          en: 'Compare with step 3 (w = 2), where “animal” still wins: the weight that makes “street” overtake lies between 2 and 5. A good follow-up: find it by hand.',
          zh: '与第 3 步（w = 2，“小猫”仍然最大）比较：让“马路”反超的权重介于 2 和 5 之间。可以接着让学生手算出这个权重。',
        },
      },
    },
  ],
};

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
    {
      title: { en: 'Which column disappears?', zh: '哪一列会消失？' },
      text: {
        en: 'New weights: w = ({W[0]}, {W[1]}, {W[2]}, {W[3]}) for animal, street, it and tired. Some weights shrink a key, some grow it, one does more.',
        zh: '新的权重：小猫、马路、它、累的 w = ({W[0]}, {W[1]}, {W[2]}, {W[3]})。有的权重让键变小，有的让键变大，有一个做得更彻底。',
      },
      tex: 'w\\,e^{s} = e^{s + \\ln w}',
      view: 'heads',
      state: { mechanism: 'weighted', weights: [2, 0.5, 0, 1] },
      exercise: {
        kind: 'zeroColumn',
        question: { en: 'Which key’s column of A becomes 0 in every row?', zh: 'A 中哪个键的那一列在每一行都变为 0？' },
        explain: {
          en: 'Only a weight of 0 empties a column: its term is 0 in every row, whatever the score. A weight of one half halves the key’s terms, but its column stays above 0.',
          zh: '只有权重为 0 才会让一整列变为 0：无论分数是多少，它在每一行中的那一项都是 0。权重为二分之一只会让该键的各项减半，它那一列仍大于 0。',
        },
        teacher: {
          en: 'Students who pick “street” (w = 0.5) confuse a small weight with removal. Link it to the causal mask: 0 is a score of −∞, a half is a score lowered by ln 2.',
          zh: '选“马路”（w = 0.5）的学生把较小的权重和排除混为一谈。可以联系因果掩码：权重 0 相当于分数为 −∞，权重二分之一只是把分数降低 ln 2。',
        },
      },
    },
    {
      title: { en: 'Order the keys', zh: '给键排序' },
      text: {
        en: 'Now w = ({W[0]}, {W[1]}, {W[2]}, {W[3]}). The scores of “it” are still {S[2][0]}, {S[2][1]}, {S[2][2]}, {S[2][3]}: a weight multiplies the term $e^{s}$, it does not change the score.',
        zh: '现在 w = ({W[0]}, {W[1]}, {W[2]}, {W[3]})。“它”的分数仍是 {S[2][0]}、{S[2][1]}、{S[2][2]}、{S[2][3]}：权重乘的是指数项 $e^{s}$，分数本身不变。',
      },
      tex: 'A_{ij} \\propto w_j\\, e^{s_{ij}}',
      view: 'heads',
      state: { mechanism: 'weighted', weights: [1, 3, 1, 0.5] },
      exercise: {
        kind: 'order',
        question: { en: 'Put the keys in order of the weight “it” gives them, largest first.', zh: '按“它”分给各个键的权重从大到小排列这些键。' },
        query: 2,
        explain: {
          en: 'Order the terms $w\\,e^{s}$, not the scores: “street” has the lowest score but three times its term, and “tired” ties with “it” on score but has half its term.',
          zh: '要比较的是 $w\\,e^{s}$ 这些项，而不是分数：“马路”的分数最低，但它的项乘了 3；“累”和“它”分数相同，但它的项只有一半。',
        },
        teacher: {
          en: 'A student who orders by score alone puts “street” last. Ask for the four terms first; their order is the order of A, since the denominator is shared.',
          zh: '只按分数排序的学生会把“马路”排在最后。可以先让学生写出四个项；分母相同，所以项的顺序就是 A 的顺序。',
        },
      },
    },
  ],
};

// Lesson 3: multi-head attention, the article's convention (h heads of d×d, scale 1/√d, Z = concat).
// Head 1 is lesson 1's head; head 2's W^Q swaps the two coordinates, so its queries look elsewhere.
import { IDENTITY2, LESSON_TOKENS, LESSON_X } from './self-attention.ts';
import type { Lesson } from './types.ts';

const SWAP = [
  [0, 1],
  [1, 0],
];

export const multiHead: Lesson = {
  id: 'multi-head',
  title: { en: '3. Multi-head attention', zh: '3. 多头注意力' },
  summary: {
    en: 'Two heads with their own weights look at the same tokens differently; their outputs are concatenated.',
    zh: '两个头各有自己的权重，用不同的方式看同样的词元；它们的输出被拼接起来。',
  },
  case: {
    tokens: LESSON_TOKENS,
    X: LESSON_X,
    heads: [
      { Wq: IDENTITY2, Wk: IDENTITY2, Wv: IDENTITY2 },
      { Wq: SWAP, Wk: IDENTITY2, Wv: IDENTITY2 },
    ],
    Wo: null,
    scale: null,
    causal: false,
    keyWeights: null,
  },
  steps: [
    {
      title: { en: 'Several heads', zh: '多个头' },
      text: {
        en: 'Multi-head attention runs h attention heads side by side on the same X. Here h = 2: head 1 is lesson 1’s head, so its heatmap is the one you know.',
        zh: '多头注意力在同一个 X 上并排运行 h 个注意力头。这里 h = 2：第 1 个头就是第 1 课的头，它的热力图你已经见过。',
      },
      tex: '\\mathrm{head}_h = \\mathrm{softmax}\\!\\left(\\frac{Q^h {K^h}^{\\top}}{\\sqrt{d}}\\right) V^h',
      view: 'heads',
      highlight: { head: 0, cell: { row: 2, col: 0 } },
    },
    {
      title: { en: 'Each head has its own weights', zh: '每个头有自己的权重' },
      text: {
        en: 'Head 2 has its own W^Q, which swaps the two coordinates: the query of “tired” (1, 1) stays (1, 1), but “street” (0, 2) asks with (2, 0). Its keys and values are still X.',
        zh: '第 2 个头有自己的 W^Q，它交换两个坐标：“累”的查询 (1, 1) 不变，但“街道” (0, 2) 的查询变成 (2, 0)。它的键和值仍然是 X。',
      },
      tex: 'Q^h = XW_Q^h,\\quad W_Q^2 = \\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}',
      view: 'matrices',
      highlight: { head: 1 },
    },
    {
      title: { en: 'Concatenate', zh: '拼接' },
      text: {
        en: 'In the article’s convention each head is d×d and there is no output projection: the outputs are placed side by side, so Z has h·d = 4 columns.',
        zh: '在原文的约定中，每个头都是 d×d，也没有输出投影：各头的输出并排放置，所以 Z 有 h·d = 4 列。',
      },
      tex: 'Z = \\mathrm{concat}(Z^1, Z^2) \\in \\mathbb{R}^{n \\times hd}',
      view: 'steps',
      highlight: { head: 1, cell: { row: 2, col: 1 }, step: 4 },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'In head 2, the query of “it” = (1, 0) becomes (0, 1). The keys are animal (2, 0), street (0, 2), it (1, 0), tired (1, 1).',
        zh: '在第 2 个头中，“它”的查询 (1, 0) 变成 (0, 1)。键是 动物 (2, 0)、街道 (0, 2)、它 (1, 0)、累 (1, 1)。',
      },
      tex: 'q^2_{\\text{it}} = (0, 1)',
      view: 'heads',
      exercise: { question: { en: 'In head 2, which key will “it” attend to most?', zh: '在第 2 个头中，“它”最关注哪个键？' }, query: 2, head: 1 },
    },
  ],
};

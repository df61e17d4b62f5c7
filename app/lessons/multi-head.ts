// Lesson 3: multi-head attention, the article's convention (h heads of d×d, scale 1/√d, Z = concat).
// Head 1 is lesson 1's head; head 2's W^Q swaps the two coordinates, so its queries look elsewhere.
import { IDENTITY2, LESSON_TOKENS, LESSON_X } from './self-attention.ts';
import type { Lesson, LessonCase } from './types.ts';

const SWAP = [
  [0, 1],
  [1, 0],
];

/** The same X in the standard convention: h = 2 heads of d_k = 1 (each reads one coordinate), and W^O = I. */
const STANDARD_CASE: LessonCase = {
  tokens: LESSON_TOKENS,
  X: LESSON_X,
  heads: [
    { Wq: [[1], [0]], Wk: [[1], [0]], Wv: [[1], [0]] },
    { Wq: [[0], [1]], Wk: [[0], [1]], Wv: [[0], [1]] },
  ],
  Wo: IDENTITY2,
  scale: null,
  causal: false,
  keyWeights: null,
};

export const multiHead: Lesson = {
  id: 'multi-head',
  title: { en: '3. Multi-head attention', zh: '3. 多头注意力' },
  summary: {
    en: 'Two heads with their own projection matrices look at the same tokens differently; their outputs are concatenated.',
    zh: '两个头各有自己的投影矩阵，以不同的方式关注同样的词元；它们的输出拼接在一起。',
  },
  article: { en: 'Follows the article’s §3.3, multi-head attention.', zh: '对应原文第 3.3 节：多头注意力。' },
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
        en: 'Multi-head attention runs h attention heads side by side on the same X (the article speaks of several self-attention layers: they are these heads). Here h = 2: head 1 is lesson 1’s head, so its heatmap is the one you know. The article writes h for both the number of heads and a head’s index; here h counts the heads and c numbers them, c = 1 … h.',
        zh: '多头注意力在同一个 X 上并排运行 h 个注意力头（原文说的“多个自注意力层”指的就是这些头）。这里 h = 2：头 1 就是第 1 课中的那个头，它的热力图你已经见过。原文用 h 同时表示头的个数和头的编号；这里 h 只表示个数，头的编号写作 c，c = 1 … h。',
      },
      tex: '\\mathrm{head}_c = \\mathrm{softmax}\\!\\left(\\frac{Q^c {K^c}^{\\top}}{\\sqrt{d}}\\right) V^c,\\quad c = 1, \\dots, h',
      view: 'heads',
      highlight: { head: 0, cell: { row: 2, col: 0 } },
    },
    {
      title: { en: 'Each head has its own projections', zh: '每个头有自己的投影矩阵' },
      text: {
        en: 'Head 2 has its own $W^Q$, which swaps the two coordinates: the query of “tired” {X[3]} stays {h2:Q[3]}, but “street” {X[1]} asks with {h2:Q[1]}. Its keys and values are still X.',
        zh: '头 2 有自己的 $W^Q$，它交换两个坐标：“累” {X[3]} 的查询仍是 {h2:Q[3]}，但“马路” {X[1]} 的查询变成 {h2:Q[1]}。它的键和值仍然是 X。',
      },
      tex: 'Q^c = XW_Q^c,\\quad W_Q^2 = \\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}',
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
      title: { en: 'The standard convention', zh: '标准约定' },
      text: {
        en: 'Most code (and the app’s default example) follows the standard convention instead: each head has $d_k = d/h$ columns, the scores are divided by $\\sqrt{d_k}$, and an output projection $W^O$ brings the concatenation back to $n \\times d$. Here that is $d_k = 1$, an output of shape $4 \\times 2$ and $4d^2 = 16$ learned numbers; the article’s convention gives Z of shape $4 \\times 4$ from $3hd^2 = 24$. Switch “Convention” in the controls on the default example to compare the shapes of Z and the parameter counts.',
        zh: '多数代码（以及本应用的默认示例）采用的是标准约定：每个头只有 $d_k = d/h$ 列，分数除以 $\\sqrt{d_k}$，再由输出投影 $W^O$ 把拼接结果变回 $n \\times d$。在本例中 $d_k = 1$，输出形状为 $4 \\times 2$，共 $4d^2 = 16$ 个可学习参数；原文的约定得到 $4 \\times 4$ 的 Z，参数为 $3hd^2 = 24$ 个。在默认示例中切换控制栏里的“约定”，可以比较 Z 的形状和参数个数。',
      },
      tex: '\\text{article: } Z \\in \\mathbb{R}^{n \\times hd},\\ 3hd^2 \\qquad \\text{standard: } d_k = \\tfrac{d}{h},\\ ZW^O \\in \\mathbb{R}^{n \\times d},\\ 4d^2',
      view: 'steps',
      highlight: { head: 1, step: 4 },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'In head 2, the query of “it” = {X[2]} becomes {h2:Q[2]}. The keys are animal {h2:K[0]}, street {h2:K[1]}, it {h2:K[2]}, tired {h2:K[3]}.',
        zh: '在头 2 中，“它” {X[2]} 的查询变成 {h2:Q[2]}。各个键是：小猫 {h2:K[0]}、马路 {h2:K[1]}、它 {h2:K[2]}、累 {h2:K[3]}。',
      },
      tex: 'q^2_{\\text{it}} = (0, 1)',
      view: 'heads',
      exercise: {
        question: { en: 'In head 2, which key will “it” attend to most?', zh: '在头 2 中，“它”最关注哪个键？' },
        query: 2,
        head: 1,
        explain: {
          en: 'Head 2’s $W^Q$ turns the query of “it” to (0, 1): it looks along the second coordinate, where “street” is longest — the same keys as head 1, another question.',
          zh: '头 2 的 $W^Q$ 把“它”的查询变成 (0, 1)：它沿第二个坐标方向看，而“马路”在这个方向上最长——键和头 1 相同，问的问题不同。',
        },
        teacher: {
          en: 'The point of the lesson: heads differ only by their projections. Ask which key “it” attends to in head 1 (lesson 1) and why the two answers differ.',
          zh: '本课的要点：各个头只在投影矩阵上不同。可以问学生“它”在头 1 中最关注哪个键（第 1 课），以及两个答案为什么不同。',
        },
      },
    },
    {
      title: { en: 'The shape of the concatenation', zh: '拼接结果的形状' },
      text: {
        en: 'Each head gives every token an output row: for “it”, head 1 gives {Z[2]} and head 2 gives {h2:Z[2]}. The article’s convention places the heads’ outputs side by side, with no output projection.',
        zh: '每个头为每个词元给出一行输出：对“它”，头 1 给出 {Z[2]}，头 2 给出 {h2:Z[2]}。原文的约定把各头的输出并排放置，没有输出投影。',
      },
      tex: 'Z = \\mathrm{concat}(Z^1, Z^2)',
      view: 'steps',
      exercise: {
        kind: 'shape',
        question: { en: 'What is the shape of Z (rows × columns)?', zh: 'Z 的形状是多少（行数 × 列数）？' },
        explain: {
          en: 'Still one row per token, n rows; each head adds its d columns, so h heads give $n \\times (h \\cdot d)$.',
          zh: '仍然是每个词元一行，共 n 行；每个头贡献 d 列，所以 h 个头得到 $n \\times (h \\cdot d)$。',
        },
        teacher: {
          en: 'Students who answer n × d have the standard convention in mind, where $W^O$ brings the width back to d; the next steps show it.',
          zh: '答 n × d 的学生想到的是标准约定，在那里 $W^O$ 把宽度变回 d；接下来的步骤会讲到。',
        },
      },
    },
    {
      title: { en: 'Compute an output', zh: '算出一个输出' },
      text: {
        en: 'In head 2, “street” gives the weights {h2:A[1][0]}, {h2:A[1][1]}, {h2:A[1][2]}, {h2:A[1][3]} to the values animal {h2:V[0]}, street {h2:V[1]}, it {h2:V[2]}, tired {h2:V[3]}. In the concatenation, head 2’s columns come after head 1’s.',
        zh: '在头 2 中，“马路”分给值向量 小猫 {h2:V[0]}、马路 {h2:V[1]}、它 {h2:V[2]}、累 {h2:V[3]} 的权重分别是 {h2:A[1][0]}、{h2:A[1][1]}、{h2:A[1][2]}、{h2:A[1][3]}。在拼接结果中，头 2 的列排在头 1 的列之后。',
      },
      tex: 'z^2_i = \\sum_j A^2_{ij}\\, v_j',
      view: 'steps',
      exercise: {
        kind: 'value',
        question: { en: 'What is entry 4 of Z in the row of “street” (head 2’s second column)?', zh: 'Z 中“马路”那一行的第 4 个数（头 2 的第二列）是多少？' },
        matrix: 'Z',
        row: 1,
        col: 3,
        explain: {
          en: 'Entry 4 is head 2’s second column: the weighted sum of the values’ second coordinates. Only “street” and “tired” have one, so only their weights count.',
          zh: '第 4 个数是头 2 的第二列：各值向量第二个坐标的加权和。只有“马路”和“累”的第二个坐标不为 0，所以只有它们的权重起作用。',
        },
        teacher: {
          en: 'A student who answers with head 1’s weights took the wrong block of columns: columns 1–2 are head 1, 3–4 head 2.',
          zh: '用头 1 的权重作答的学生取错了列：第 1–2 列属于头 1，第 3–4 列属于头 2。',
        },
      },
    },
    {
      title: { en: 'Your turn: the standard convention', zh: '轮到你了：标准约定' },
      text: {
        en: 'The same four tokens in the standard convention: $h = 2$ heads of $d_k = d/h = 1$ column each (head 1 reads the first coordinate, head 2 the second), scores divided by $\\sqrt{d_k}$ = {SQRTD}, then $W^O$ = $I$ applied to the concatenation. For “it”, head 1 gives {Z[2]} and head 2 gives {h2:Z[2]}.',
        zh: '同样的四个词元，改用标准约定：$h = 2$ 个头，每个头 $d_k = d/h = 1$ 列（头 1 读第一个坐标，头 2 读第二个），分数除以 $\\sqrt{d_k}$ = {SQRTD}，再对拼接结果乘以 $W^O$ = $I$。对“它”，头 1 给出 {Z[2]}，头 2 给出 {h2:Z[2]}。',
      },
      tex: 'Z = \\mathrm{concat}(Z^1, Z^2)\\, W^O,\\quad W^O \\in \\mathbb{R}^{(h d_k) \\times d}',
      view: 'steps',
      state: { case: STANDARD_CASE },
      exercise: {
        kind: 'shape',
        question: { en: 'What is the shape of the output Z after $W^O$ (rows × columns)?', zh: '乘以 $W^O$ 之后，输出 Z 的形状是多少（行数 × 列数）？' },
        explain: {
          en: 'The concatenation is $n \\times (h \\cdot d_k) = n \\times d$ already, and $W^O$ is $(h \\cdot d_k) \\times d$: the output is $n \\times d$, the shape of X, so layers can be stacked.',
          zh: '拼接结果本身就是 $n \\times (h \\cdot d_k) = n \\times d$，而 $W^O$ 是 $(h \\cdot d_k) \\times d$：输出为 $n \\times d$，与 X 形状相同，所以可以一层层堆叠。',
        },
        teacher: {
          en: 'Compare with the article’s convention two steps back: same tokens, same number of heads, a different width. Then count parameters: 4d² here against 3hd² there.',
          zh: '与前两步原文的约定比较：词元相同，头数相同，宽度不同。再数一数参数：这里是 4d²，那里是 3hd²。',
        },
      },
    },
  ],
};

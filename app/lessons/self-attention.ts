// Lesson 1: self-attention, on four tokens in two dimensions with W^Q = W^K = W^V = I, so
// Q = K = V = X and every score is a dot product of two short integer vectors divided by √2.
import type { Lesson } from './types.ts';

export const IDENTITY2 = [
  [1, 0],
  [0, 1],
];

export const LESSON_X = [
  [2, 0], // animal
  [0, 2], // street
  [1, 0], // it
  [1, 1], // tired
];

export const LESSON_TOKENS = { en: ['animal', 'street', 'it', 'tired'], zh: ['小猫', '马路', '它', '累'] } as const;

export const selfAttention: Lesson = {
  id: 'self-attention',
  title: { en: '1. Self-attention', zh: '1. 自注意力' },
  summary: {
    en: 'Queries, keys and values; scores; softmax; the weighted sum — on four tokens you can check by hand.',
    zh: '查询、键和值；分数；softmax；加权求和——只用四个词元，每一步都能手算验证。',
  },
  article: { en: 'Follows the article’s §3.1, self-attention.', zh: '对应原文第 3.1 节：自注意力。' },
  case: {
    tokens: LESSON_TOKENS,
    X: LESSON_X,
    heads: [{ Wq: IDENTITY2, Wk: IDENTITY2, Wv: IDENTITY2 }],
    Wo: null,
    scale: null,
    causal: false,
    keyWeights: null,
  },
  steps: [
    {
      title: { en: 'Tokens as vectors', zh: '用向量表示词元' },
      text: {
        en: 'Each token is a row of X. Here n = 4 tokens with d = 2 numbers each: animal = {X[0]}, street = {X[1]}, it = {X[2]}, tired = {X[3]}. These vectors are chosen by hand so the arithmetic stays small: “it” = (1, 0) points the same way as “animal” = (2, 0) on purpose. A trained model learns its vectors; and, like the app’s seeded examples, these rows carry no position: the same word gets the same row wherever it stands.',
        zh: '每个词元用 X 的一行表示。这里有 n = 4 个词元，每个由 d = 2 个数组成：小猫 = {X[0]}，马路 = {X[1]}，它 = {X[2]}，累 = {X[3]}。这些向量是为了便于手算而特意选定的：“它” = (1, 0) 与“小猫” = (2, 0) 方向相同是有意为之。训练好的模型会自己学出向量；而且和本应用的随机种子示例一样，这些行不含位置信息：同一个词无论出现在哪里都是同一行。',
      },
      tex: 'X \\in \\mathbb{R}^{n\\times d},\\quad n = 4,\\ d = 2',
      view: 'matrices',
    },
    {
      title: { en: 'Queries, keys and values', zh: '查询、键和值' },
      text: {
        en: 'Three projection matrices turn X into queries, keys and values. In this lesson they are the identity, so Q, K and V all equal X — easy to check.',
        zh: '三个投影矩阵把 X 变成查询、键和值。本课中它们都是单位矩阵，所以 Q、K、V 都等于 X，便于验算。',
      },
      tex: 'Q = XW^Q,\\quad K = XW^K,\\quad V = XW^V',
      view: 'matrices',
    },
    {
      title: { en: 'Scores', zh: '分数' },
      text: {
        en: 'The score of query i for key j is $q_i \\cdot k_j$ divided by $\\sqrt{d}$. For it → animal: ({Q[2][0]}·{K[0][0]} + {Q[2][1]}·{K[0][1]})/√2 = {DOT[2][0]}/{SQRTD} ≈ {S[2][0]}. A dot product also grows with the key’s length: a key pointing the same way but twice as long scores twice as high, so long keys are favoured.',
        zh: '查询 i 对键 j 的分数是 $q_i \\cdot k_j$ 除以 $\\sqrt{d}$。以“它 → 小猫”为例：({Q[2][0]}·{K[0][0]} + {Q[2][1]}·{K[0][1]})/√2 = {DOT[2][0]}/{SQRTD} ≈ {S[2][0]}。点积还随键的长度增大：方向相同、长度加倍的键，分数也加倍，所以较长的键更占优势。',
      },
      tex: 's_{ij} = \\frac{q_i \\cdot k_j}{\\sqrt{d}}',
      view: 'steps',
      highlight: { cell: { row: 2, col: 0 }, step: 1 },
    },
    {
      title: { en: 'Softmax', zh: 'softmax 归一化' },
      text: {
        en: 'Softmax turns each row of scores into attention weights that sum to 1, the matrix A (the article calls it the relation matrix). Row “it”: e^{S[2][0]}, e^{S[2][1]}, e^{S[2][2]}, e^{S[2][3]} ≈ {E[2][0]}, {E[2][1]}, {E[2][2]}, {E[2][3]}; divided by their sum {SUM[2]} gives {A[2][0]}, {A[2][1]}, {A[2][2]}, {A[2][3]}. The step-by-step view first subtracts the row’s largest score $m$ from every score: $e^{s-m} = e^{s}/e^{m}$ shrinks every term by the same factor, so A does not change, and no exponential can overflow — a score of 100 would give $e^{100}$, beyond what a float32 holds.',
        zh: 'softmax 把每一行分数变成和为 1 的注意力权重，组成矩阵 A（原文称关系矩阵）。“它”这一行：e^{S[2][0]}、e^{S[2][1]}、e^{S[2][2]}、e^{S[2][3]} ≈ {E[2][0]}、{E[2][1]}、{E[2][2]}、{E[2][3]}；除以它们的和 {SUM[2]}，得到 {A[2][0]}、{A[2][1]}、{A[2][2]}、{A[2][3]}。分步视图会先从每个分数中减去这一行最大的分数 $m$：$e^{s-m} = e^{s}/e^{m}$ 让每一项缩小同一倍数，所以 A 不变；而且指数不会溢出——分数为 100 时 $e^{100}$ 已超出单精度浮点数的范围。',
      },
      tex: 'A_{ij} = \\frac{e^{s_{ij}}}{\\sum_{k} e^{s_{ik}}} = \\frac{e^{s_{ij} - m_i}}{\\sum_{k} e^{s_{ik} - m_i}},\\quad m_i = \\max_k s_{ik}',
      view: 'heads',
      highlight: { cell: { row: 2, col: 0 } },
    },
    {
      title: { en: 'Why divide by √d', zh: '为什么除以 √d' },
      text: {
        en: 'A dot product adds up d products, so for random entries its spread grows like √d: large models have large scores. Here every vector is three times longer, so every dot product is nine times larger ({DOT[2][0]} for it → animal), as happens when d grows. Row “it” becomes {A[2][0]}, {A[2][1]}, {A[2][2]}, {A[2][3]}: softmax saturates, almost all weight on one key, and a small change of a score no longer moves A, so training stalls. Dividing by $\\sqrt{d}$ keeps the spread of the scores near 1 whatever d is.',
        zh: '点积是 d 个乘积之和，对随机的数来说它的分散程度随 √d 增长：模型越大，分数越大。这里每个向量都变长到三倍，每个点积就变成九倍（“它 → 小猫”为 {DOT[2][0]}），正如 d 变大时那样。“它”这一行变成 {A[2][0]}、{A[2][1]}、{A[2][2]}、{A[2][3]}：softmax 饱和了，几乎全部权重都给了一个键，分数的微小变化不再改变 A，训练也就停滞了。除以 $\\sqrt{d}$ 能让分数的分散程度无论 d 多大都保持在 1 左右。',
      },
      tex: '\\operatorname{Var}(q \\cdot k) = d \\;\\Rightarrow\\; \\operatorname{Var}\\!\\left(\\tfrac{q \\cdot k}{\\sqrt{d}}\\right) = 1',
      view: 'heads',
      state: { overrides: { 'X[0][0]': 6, 'X[1][1]': 6, 'X[2][0]': 3, 'X[3][0]': 3, 'X[3][1]': 3 } },
      highlight: { cell: { row: 2, col: 0 } },
    },
    {
      title: { en: 'The weighted sum', zh: '加权求和' },
      text: {
        en: 'The output of “it” mixes every value vector by its weight: z = {A[2][0]}·{V[0]} + {A[2][1]}·{V[1]} + {A[2][2]}·{V[2]} + {A[2][3]}·{V[3]} ≈ {Z[2]}.',
        zh: '“它”的输出按权重混合所有值向量：z = {A[2][0]}·{V[0]} + {A[2][1]}·{V[1]} + {A[2][2]}·{V[2]} + {A[2][3]}·{V[3]} ≈ {Z[2]}。',
      },
      tex: 'z_i = \\sum_j A_{ij}\\, v_j,\\qquad Z = AV',
      view: 'steps',
      highlight: { cell: { row: 2, col: 0 }, step: 3 },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Now “it” becomes {X[2]}; the other tokens stay. Compute its four dot products in your head.',
        zh: '现在“它”变成 {X[2]}，其他词元不变。请心算它的四个点积。',
      },
      tex: 'q_{\\text{it}} = (0, 1)',
      view: 'heads',
      state: { overrides: { 'X[2][0]': 0, 'X[2][1]': 1 } },
      exercise: {
        question: { en: 'Which key will “it” attend to most?', zh: '“它”最关注哪个键？' },
        query: 2,
        explain: {
          en: '“it” = (0, 1) now points the same way as “street” = (0, 2) and is perpendicular to “animal”: the key that is longest in its direction gets the largest dot product, so the largest score and the largest weight.',
          zh: '“它” = (0, 1) 现在与“马路” = (0, 2) 方向相同，与“小猫”垂直：在它的方向上最长的键点积最大，分数和权重也就最大。',
        },
        teacher: {
          en: 'A student who picks “tired” = (1, 1) forgot that its dot product with (0, 1) is 1, half of “street”’s 2. Ask for the four dot products before the softmax.',
          zh: '选“累” = (1, 1) 的学生忘了它与 (0, 1) 的点积只有 1，是“马路”的 2 的一半。可以先让学生写出四个点积，再做 softmax。',
        },
      },
    },
    {
      title: { en: 'Compute a weight', zh: '算出一个权重' },
      text: {
        en: 'Back to the original vectors. “tired” = {X[3]} has the scores {S[3][0]}, {S[3][1]}, {S[3][2]}, {S[3][3]} with animal, street, it and tired. Exponentiate them, add the four terms, and divide.',
        zh: '回到最初的向量。“累” = {X[3]} 对小猫、马路、它、累的分数分别是 {S[3][0]}、{S[3][1]}、{S[3][2]}、{S[3][3]}。先求指数，再把四项相加，最后相除。',
      },
      tex: 'A_{ij} = \\frac{e^{s_{ij}}}{\\sum_k e^{s_{ik}}}',
      view: 'heads',
      exercise: {
        kind: 'value',
        question: { en: 'What weight does “tired” give “it”?', zh: '“累”分给“它”的权重是多少？' },
        matrix: 'A',
        row: 3,
        col: 2,
        explain: {
          en: 'Three of the four scores are equal, so three terms are equal; “it” = (1, 0) is shorter in the direction of “tired”, so its score, its term and its weight are the smallest.',
          zh: '四个分数中有三个相等，所以有三项相等；“它” = (1, 0) 在“累”的方向上较短，所以它的分数、指数项和权重都最小。',
        },
        teacher: {
          en: 'The answer is checked to ±0.001, one unit of the third decimal the lesson shows. A student off by more usually rounded the exponentials to one decimal, or forgot to exponentiate before dividing.',
          zh: '答案按 ±0.001 判定，即课程显示的第三位小数的一个单位。误差更大的学生，通常是把指数项只保留了一位小数，或者没有先求指数就直接相除。',
        },
      },
    },
    {
      title: { en: 'The shape of Z', zh: 'Z 的形状' },
      text: {
        en: 'Each token gets one output row, a mix of the value vectors such as $v_{\\text{animal}}$ = {V[0]} and $v_{\\text{street}}$ = {V[1]}. One head, no output projection: this is the article’s single self-attention.',
        zh: '每个词元得到一行输出，它是各个值向量的加权混合，例如 $v_{\\text{小猫}}$ = {V[0]}，$v_{\\text{马路}}$ = {V[1]}。只有一个头，也没有输出投影：这就是原文中单个的自注意力。',
      },
      tex: 'Z = AV,\\quad A \\in \\mathbb{R}^{n \\times n},\\ V \\in \\mathbb{R}^{n \\times d}',
      view: 'matrices',
      exercise: {
        kind: 'shape',
        question: { en: 'What is the shape of Z (rows × columns)?', zh: 'Z 的形状是多少（行数 × 列数）？' },
        explain: {
          en: 'One row per token (n rows) and as many columns as a value vector (d): A is n × n and V is n × d, so AV is n × d — the same shape as X.',
          zh: '每个词元一行（n 行），列数与值向量相同（d 列）：A 是 n × n，V 是 n × d，所以 AV 是 n × d——与 X 的形状相同。',
        },
        teacher: {
          en: 'A common slip is n × n, the shape of A. Ask which matrix is multiplied last and what its columns are.',
          zh: '常见的错误是答 n × n，那是 A 的形状。可以问学生最后乘的是哪个矩阵，它的列代表什么。',
        },
      },
    },
  ],
};

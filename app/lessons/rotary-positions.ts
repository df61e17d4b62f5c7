// Lesson 5: rotary position embedding (RoPE) on a real model (stories260K): q and k before and after the
// rotation for one pair of coordinates, the angles position·θ_t of the first pairs, and the property that
// makes it work — the same text read 100 positions later gives the same scores. Every number comes from the
// model's run (modelNumbers); modernLessons.test.ts runs the model in Node to check each step.
import { STORIES_260K, STORY_TEXT } from './models.ts';
import type { Lesson, StepModel } from './types.ts';

/** Layer 2 (0-based 1), head 1; the query at row 10 and the key at row 4. */
const on = (shift?: number): StepModel => ({ id: STORIES_260K, text: STORY_TEXT, layer: 1, ...(shift ? { shift } : {}) });
const CELL = { row: 10, col: 4 };

export const rotaryPositions: Lesson = {
  id: 'rotary-positions',
  title: { en: '5. Rotary position embedding (RoPE)', zh: '5. 旋转位置编码（RoPE）' },
  summary: {
    en: 'How Llama-style models know where a token is: q and k are rotated by its position, so a score depends only on how far apart two tokens are.',
    zh: 'Llama 一类的模型怎样知道词元的位置：q 和 k 按位置旋转，于是分数只取决于两个词元相隔多远。',
  },
  steps: [
    {
      title: { en: 'Positions inside every head', zh: '位置信息在每个头里' },
      text: {
        en: 'GPT-2 adds a learned position vector to every token before the first layer. This model ({LAYERS} layers of {HEADS} heads, $d_k$ = {DHEAD}) adds none: in every head it rotates q and k by angles that grow with the token’s position. This is rotary position embedding (RoPE). The Steps view shows q and k of layer {LAYER}, head 1, before and after the rotation.',
        zh: 'GPT-2 在第一层之前给每个词元加上一个学到的位置向量。这个模型（{LAYERS} 层，每层 {HEADS} 个头，$d_k$ = {DHEAD}）什么也不加：它在每个头里把 q 和 k 按随位置增大的角度旋转。这就是旋转位置编码（RoPE）。分步视图显示第 {LAYER} 层·头 1 中旋转前后的 q 和 k。',
      },
      tex: '\\tilde q_m = R_{m\\theta}\\, q_m,\\qquad \\tilde k_n = R_{n\\theta}\\, k_n',
      view: 'steps',
      state: { model: on() },
      highlight: { head: 0, cell: CELL, step: 1 },
    },
    {
      title: { en: 'One pair, turned', zh: '转动一对坐标' },
      text: {
        en: 'RoPE cuts q into pairs of coordinates (1 and $d_k/2 + 1$, 2 and $d_k/2 + 2$, …) and turns each pair like the hand of a clock. The first pair of the query at position {POS[10]} is {QP[10][0]}; turned by {ANG[10][0]} radians it becomes {QR[10][0]}. A rotation keeps the length: only the direction carries the position.',
        zh: 'RoPE 把 q 的坐标两两分组（1 与 $d_k/2 + 1$，2 与 $d_k/2 + 2$，……），每一对像钟表的指针一样转动。位置 {POS[10]} 上查询的第一对坐标是 {QP[10][0]}；转过 {ANG[10][0]} 弧度后变成 {QR[10][0]}。旋转不改变长度：只有方向携带位置。',
      },
      tex: '\\begin{pmatrix} \\tilde q_{1} \\\\ \\tilde q_{1+d_k/2} \\end{pmatrix} = \\begin{pmatrix} \\cos m\\theta_1 & -\\sin m\\theta_1 \\\\ \\sin m\\theta_1 & \\cos m\\theta_1 \\end{pmatrix} \\begin{pmatrix} q_{1} \\\\ q_{1+d_k/2} \\end{pmatrix}',
      view: 'steps',
      state: { model: on() },
      highlight: { head: 0, cell: CELL, step: 1 },
    },
    {
      title: { en: 'Fast and slow hands', zh: '快针与慢针' },
      text: {
        en: 'Pair t turns by the position times $\\theta_t = b^{-2(t-1)/d_k}$, with the base b = {THETA}: for the first four pairs θ = {FREQ[0]}, {FREQ[1]}, {FREQ[2]}, {FREQ[3]}. At position {POS[10]} their angles are {ANG[10][0]}, {ANG[10][1]}, {ANG[10][2]}, {ANG[10][3]} radians. The first pair spins fast and tells neighbours apart; the later ones turn slowly and still tell distant tokens apart.',
        zh: '第 t 对转过的角度是位置乘以 $\\theta_t = b^{-2(t-1)/d_k}$，底数 b = {THETA}：前四对的 θ = {FREQ[0]}、{FREQ[1]}、{FREQ[2]}、{FREQ[3]}。在位置 {POS[10]}，它们的角度是 {ANG[10][0]}、{ANG[10][1]}、{ANG[10][2]}、{ANG[10][3]} 弧度。第一对转得快，能区分相邻的词元；后面的转得慢，仍能区分相隔很远的词元。',
      },
      tex: '\\theta_t = b^{-2(t-1)/d_k},\\qquad \\text{angle} = m\\,\\theta_t',
      view: 'steps',
      state: { model: on() },
      highlight: { head: 0, cell: CELL, step: 1 },
    },
    {
      title: { en: 'Only the distance counts', zh: '只有距离起作用' },
      text: {
        en: 'The score of the query at position {POS[10]} with the key at position {POS[4]} is {S[10][4]}. Now read the same text {SHIFT} positions later: q turns by (m + {SHIFT})θ, k by (n + {SHIFT})θ, and the angle between them is still (m − n)θ. The score is {SS[10][4]}, and the attention weight {A[10][4]} stays {SA[10][4]}. The Compare view shows every map of the shifted text beside the original: none changes.',
        zh: '位置 {POS[10]} 的查询与位置 {POS[4]} 的键的分数是 {S[10][4]}。现在把同一段文本往后移 {SHIFT} 个位置再读：q 转过 (m + {SHIFT})θ，k 转过 (n + {SHIFT})θ，两者之间的夹角仍是 (m − n)θ。分数是 {SS[10][4]}，注意力权重 {A[10][4]} 仍为 {SA[10][4]}。“比较”视图把移位后文本的每张图和原来的并排显示：没有一张改变。',
      },
      tex: '\\tilde q_m \\cdot \\tilde k_n = q_m^{\\top} R_{(n-m)\\theta}\\, k_n',
      view: 'compare',
      state: { model: on(100) },
      highlight: { head: 0, cell: CELL },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'A model with learned positions, like GPT-2, would attend differently after the shift; this one cannot. The text is still read {SHIFT} positions later. Look at the query at position {POS[10]} in layer {LAYER}, head 1.',
        zh: '像 GPT-2 这样使用学到的位置向量的模型，移位后会以不同的方式分配注意力；这个模型不会。文本仍然往后移了 {SHIFT} 个位置。请看第 {LAYER} 层·头 1 中位置 {POS[10]} 上的查询。',
      },
      tex: 'A_{m+s,\\,n+s} = A_{m,n}',
      view: 'heads',
      state: { model: on(100) },
      highlight: { head: 0 },
      exercise: {
        question: { en: 'After the shift, which key will the query at position 10 attend to most in head 1?', zh: '移位之后，在头 1 中位置 10 上的查询最关注哪个键？' },
        query: 10,
        head: 0,
      },
    },
  ],
};

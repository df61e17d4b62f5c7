// Lesson 9: the online softmax that FlashAttention is built on, on row “tired” of the example sentence in
// tiles of two keys: the running maximum m, the running sum ℓ and the rescaling factor e^(m_old − m_new) at
// each tile, ending exactly at the full softmax and the same z (computed by engine/onlineSoftmax.ts).
import { sentenceCase } from './sentence.ts';
import type { Lesson } from './types.ts';

const ROW = { row: 5, col: 5 };

export const onlineSoftmax: Lesson = {
  id: 'online-softmax',
  title: { en: '9. Online softmax (FlashAttention’s idea)', zh: '9. 在线 softmax（FlashAttention 的思路）' },
  summary: {
    en: 'Softmax without the whole row at once: read the keys in tiles, keep a running maximum and sum, rescale when the maximum grows — the same answer exactly.',
    zh: '不必一次拿到整行也能做 softmax：把键分块读入，保存当前最大值和当前的和，最大值变大时重新缩放——结果完全一样。',
  },
  case: sentenceCase(false),
  steps: [
    {
      title: { en: 'Softmax wants the whole row', zh: 'softmax 需要整行' },
      text: {
        en: 'Softmax subtracts the row’s largest score before taking exponentials, so it seems to need the whole row first. Row “tired” has the scores {S[5][0]}, {S[5][1]}, {S[5][2]}, {S[5][3]}, {S[5][4]}, {S[5][5]}. With thousands of keys, writing all of them to memory and reading them back is what makes attention slow on a GPU. FlashAttention reads the keys in tiles instead and keeps three running quantities.',
        zh: 'softmax 先减去这一行最大的分数再取指数，所以看起来得先拿到整行。“累”这一行的分数是 {S[5][0]}、{S[5][1]}、{S[5][2]}、{S[5][3]}、{S[5][4]}、{S[5][5]}。有几千个键时，把它们全部写进显存再读回来，正是注意力在 GPU 上慢的原因。FlashAttention 改为分块读入键，只保存三个不断更新的量。',
      },
      tex: 'A_{ij} = \\frac{e^{s_{ij} - m_i}}{\\sum_k e^{s_{ik} - m_i}},\\quad m_i = \\max_k s_{ik}',
      view: 'steps',
      highlight: { cell: ROW, step: 2 },
    },
    {
      title: { en: 'The first tile', zh: '第一块' },
      text: {
        en: 'Tiles of B = {B} keys. Tile 1 holds “animal” and “street”. The running maximum is m = {M[5][0]}, the running sum ℓ = {L[5][0]}, and the running output o = {O[5][0]}: the values weighted by $e^{s - m}$, not yet divided by ℓ.',
        zh: '每块 B = {B} 个键。第 1 块是“动物”和“街道”。当前最大值 m = {M[5][0]}，当前的和 ℓ = {L[5][0]}，当前输出 o = {O[5][0]}：按 $e^{s - m}$ 加权的值向量之和，还没有除以 ℓ。',
      },
      tex: 'm = \\max_{j \\in T_1} s_j,\\quad \\ell = \\sum_{j \\in T_1} e^{s_j - m},\\quad o = \\sum_{j \\in T_1} e^{s_j - m}\\, v_j',
      view: 'steps',
      state: { tile: 2 },
      highlight: { cell: ROW, step: 3 },
    },
    {
      title: { en: 'A tile below the maximum', zh: '没有超过最大值的一块' },
      text: {
        en: 'Tile 2 holds “because” and “it”. Its largest score, {TMAX[5][1]}, is below m, so m stays {M[5][1]} and the factor $e^{m_{\\text{old}} - m_{\\text{new}}}$ is {F[5][1]}: ℓ = {L[5][0]} × {F[5][1]} + {TS[5][1]} = {L[5][1]}, and o = {O[5][1]}.',
        zh: '第 2 块是“因为”和“它”。它最大的分数 {TMAX[5][1]} 小于 m，所以 m 仍为 {M[5][1]}，系数 $e^{m_{\\text{old}} - m_{\\text{new}}}$ 等于 {F[5][1]}：ℓ = {L[5][0]} × {F[5][1]} + {TS[5][1]} = {L[5][1]}，o = {O[5][1]}。',
      },
      tex: '\\ell \\leftarrow \\ell\\, e^{m_{\\text{old}} - m_{\\text{new}}} + \\sum_{j \\in T} e^{s_j - m_{\\text{new}}}',
      view: 'steps',
      state: { tile: 2 },
      highlight: { cell: ROW, step: 3 },
    },
    {
      title: { en: 'A tile that raises the maximum', zh: '抬高最大值的一块' },
      text: {
        en: 'Tile 3 holds “was” and “tired”, with the score {TMAX[5][2]}: above m = {M[5][1]}. The maximum becomes {M[5][2]}, and everything summed so far was computed against the old one, so it shrinks by e^({M[5][1]} − {M[5][2]}) = {F[5][2]}: ℓ = {L[5][1]} × {F[5][2]} + {TS[5][2]} = {L[5][2]}, and o = {O[5][2]}.',
        zh: '第 3 块是“太”和“累”，其中的分数 {TMAX[5][2]} 超过了 m = {M[5][1]}。最大值变为 {M[5][2]}；之前累加的量都是相对旧的最大值算的，所以要乘以 e^({M[5][1]} − {M[5][2]}) = {F[5][2]} 缩小：ℓ = {L[5][1]} × {F[5][2]} + {TS[5][2]} = {L[5][2]}，o = {O[5][2]}。',
      },
      tex: 'o \\leftarrow o\\, e^{m_{\\text{old}} - m_{\\text{new}}} + \\sum_{j \\in T} e^{s_j - m_{\\text{new}}}\\, v_j',
      view: 'steps',
      state: { tile: 2 },
      highlight: { cell: ROW, step: 3 },
    },
    {
      title: { en: 'Exactly the same answer', zh: '结果完全一样' },
      text: {
        en: 'Divide once at the end: z = o / ℓ = {OZ[5][2]}; the full softmax gives z = {Z[5]}. The weights $e^{s_j - m}/\\ell$ are {OA[5][0]}, {OA[5][1]}, {OA[5][2]}, {OA[5][3]}, {OA[5][4]}, {OA[5][5]}: row “tired” of A ({A[5][0]}, {A[5][1]}, {A[5][2]}, {A[5][3]}, {A[5][4]}, {A[5][5]}). Nothing was approximated; only the order of the work changed, and no row of scores ever had to be stored whole.',
        zh: '最后只除一次：z = o / ℓ = {OZ[5][2]}；完整的 softmax 给出 z = {Z[5]}。权重 $e^{s_j - m}/\\ell$ 是 {OA[5][0]}、{OA[5][1]}、{OA[5][2]}、{OA[5][3]}、{OA[5][4]}、{OA[5][5]}：就是 A 中“累”这一行（{A[5][0]}、{A[5][1]}、{A[5][2]}、{A[5][3]}、{A[5][4]}、{A[5][5]}）。没有任何近似，只是计算的顺序变了，也从来不需要把一整行分数存下来。',
      },
      tex: 'z = o / \\ell',
      view: 'steps',
      state: { tile: 2 },
      highlight: { cell: ROW, step: 3 },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Now B = {B}: tile 1 is “animal”, “street”, “because”, tile 2 is “it”, “was”, “tired”. The running maximum after tile 1 is {M[5][0]}, after tile 2 {M[5][1]}.',
        zh: '现在 B = {B}：第 1 块是“动物”“街道”“因为”，第 2 块是“它”“太”“累”。第 1 块之后的当前最大值是 {M[5][0]}，第 2 块之后是 {M[5][1]}。',
      },
      tex: 'B = 3',
      view: 'heads',
      state: { tile: 3 },
      exercise: {
        question: { en: 'When all tiles are read, which key will “tired” attend to most?', zh: '所有块都读完之后，“累”最关注哪个键？' },
        query: 5,
        explain: {
          en: 'Reading the keys in tiles rescales the running sums but ends on exactly the plain softmax. So the answer is the key with the largest score in the whole row: “tired” itself, whose dot product 1 + 4 = 5 beats “street” (4), even though “street” led after the first tile.',
          zh: '分块读入键只会重新缩放当前的和，最后得到的正是普通的 softmax。所以答案是整行中分数最大的键：“累”自己，点积 1 + 4 = 5，胜过“街道”（4）——尽管读完第一块时领先的是“街道”。',
        },
        teacher: {
          en: 'Students who pick “street” stopped at the first tile\'s maximum. Point at the factor $e^{m_{\\text{old}} - m_{\\text{new}}}$ that shrinks the earlier sums when tile 2 raises the maximum, and ask what the weights would be with a single tile of 6.',
          zh: '选“街道”的学生停在了第一块的最大值。指出当第二块抬高最大值时，因子 $e^{m_{\\text{old}} - m_{\\text{new}}}$ 会把之前的和缩小；再问：如果只有一块（B = 6），权重会是多少？',
        },
      },
    },
  ],
};

// The glossary (术语表): one word per concept, in 中文 and English, with the source article's own
// wording where it has one. The catalogs and lessons use exactly these words: glossary.test.ts
// rejects every `avoid` variant in them, so a synonym cannot creep back in.

export interface GlossaryTerm {
  id: string;
  zh: string;
  en: string;
  /** The article's own word, where it differs from ours. */
  article?: string;
  /** What the term means here, in both languages. */
  note: { zh: string; en: string };
  /** Variants the 中文 text must not use (and why, in a comment). */
  avoid?: readonly (string | RegExp)[];
  /** Variants the English text must not use. */
  avoidEn?: readonly (string | RegExp)[];
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    id: 'token',
    zh: '词元',
    en: 'token',
    note: { zh: '切分文本得到的一段（一个词、字符或标点），对应 X 的一行。', en: 'A piece of the text (a word, character or mark); one row of X.' },
    avoid: ['令牌'],
  },
  {
    id: 'embedding',
    zh: '嵌入',
    en: 'embedding',
    note: { zh: '表示一个词元的向量；所有词元的嵌入组成 X。', en: 'The vector of one token; together they form X.' },
  },
  { id: 'seq-length', zh: '序列长度 n', en: 'sequence length n', article: '序列长度 n', note: { zh: '词元的个数，X 的行数。', en: 'The number of tokens: the rows of X.' } },
  { id: 'dimension', zh: '维度 d', en: 'dimension d', article: '元素维度 d', note: { zh: '每个词元的向量有 d 个数，X 的列数。', en: 'The numbers per token vector: the columns of X.' } },
  { id: 'query', zh: '查询', en: 'query', note: { zh: 'q_i = x_i W^Q：词元 i 在找什么。', en: 'q_i = x_i W^Q: what token i looks for.' } },
  { id: 'key', zh: '键', en: 'key', note: { zh: 'k_j = x_j W^K：词元 j 能提供什么。', en: 'k_j = x_j W^K: what token j offers.' } },
  { id: 'value', zh: '值', en: 'value', note: { zh: 'v_j = x_j W^V：词元 j 传递的内容。', en: 'v_j = x_j W^V: what token j passes on.' } },
  {
    id: 'projection',
    zh: '投影矩阵',
    en: 'projection matrix',
    article: '可学习参数；线性变换',
    note: { zh: 'W^Q、W^K、W^V（以及输出投影 W^O）：模型学到的参数。', en: 'W^Q, W^K, W^V (and the output projection W^O): the learned parameters.' },
    // 权重矩阵 is the article's word for A; W must not share it.
    avoid: ['权重矩阵', '查询权重', '键权重', '值权重'],
  },
  {
    id: 'score',
    zh: '分数',
    en: 'score',
    note: { zh: 's_ij = q_i · k_j 乘以缩放系数，softmax 之前的值。', en: 's_ij = q_i · k_j times the scale, before softmax.' },
  },
  {
    id: 'exp-term',
    zh: '指数项',
    en: 'exponential',
    note: { zh: 'e^(s_ij)：softmax 中的一项（“指数”单用读作幂次）。', en: 'e^(s_ij): one term of softmax.' },
    avoid: [/的指数(?!项)/],
  },
  {
    id: 'attention-weights',
    zh: '注意力权重',
    en: 'attention weights',
    article: '关系矩阵、权重矩阵',
    note: { zh: 'A：每一行是一个查询分给各个键的权重，和为 1。', en: 'A: each row is how one query shares its attention over the keys; it sums to 1.' },
  },
  {
    id: 'key-weight',
    zh: '键的权重',
    en: 'key weight',
    note: { zh: '加权注意力中每个键的 w_j；w_j = 0 就排除这个键。', en: 'The w_j of each key in weighted attention; w_j = 0 removes the key.' },
  },
  { id: 'weighted-sum', zh: '加权求和', en: 'weighted sum', note: { zh: '输出 z_i = Σ_j A_ij v_j。', en: 'z_i = Σ_j A_ij v_j.' } },
  { id: 'output', zh: '输出 Z', en: 'output Z', article: '输出序列', note: { zh: '每个词元一行，与输入一一对应：第 i 行是 z_i。', en: 'One row per token, as the input: row i is z_i.' } },
  {
    id: 'head',
    zh: '注意力头（头）',
    en: 'attention head (head)',
    article: '多个自注意力层（即各个头）',
    note: {
      zh: '一组 W^Q、W^K、W^V 及其注意力。简称“头 2”，含层时写“第 1 层·头 2”。原文用 h 同时表示头数和头的编号；本应用用 h 表示头数，用 c 表示编号。',
      en: 'One set of W^Q, W^K, W^V and its attention. “Head 2”; with its layer “L1 H2”. The article writes h for both the count and the index; the app uses h for the count and c for the index.',
    },
    avoid: [/第 ?\{?\w*\}? ?个头/, /第\s*\{\w+\}\s*层，/],
  },
  { id: 'self-attention', zh: '自注意力', en: 'self-attention', note: { zh: '每个词元关注同一序列中的所有词元。', en: 'Every token attends to all tokens of the same sequence.' } },
  { id: 'weighted-attention', zh: '加权注意力', en: 'weighted attention', note: { zh: '每个键多乘一个权重 w_j。', en: 'Each key’s term is multiplied by a weight w_j.' } },
  { id: 'multi-head', zh: '多头注意力', en: 'multi-head attention', note: { zh: '多个头并排计算，输出拼接在一起。', en: 'Several heads side by side; their outputs are concatenated.' } },
  { id: 'concat', zh: '拼接', en: 'concatenate', note: { zh: '把各个头的输出并排放在一起。', en: 'Placing the heads’ outputs side by side.' }, avoid: ['合并'] },
  {
    id: 'exclude',
    zh: '排除',
    en: 'exclude (a key)',
    note: { zh: '权重为 0 或填充的键不参与注意力，它在 A 中的那一列为 0。“遮蔽”只用于因果掩码。', en: 'A key with weight 0 or padding takes no part: its column of A is 0. “Masked” is kept for the causal mask.' },
    // 排除 is the one verb for removing a key; 遮蔽 belongs to the causal mask.
    avoid: [/去掉(这个|该|一个)?键/, /遮蔽.{0,6}(w ?= ?0|权重为 ?0|填充)/, /(w ?= ?0|权重为 ?0|填充).{0,6}遮蔽/],
  },
  {
    id: 'mask',
    zh: '掩码',
    en: 'mask',
    note: { zh: '因果掩码、填充掩码。因果掩码去除的键称为“已遮蔽”；权重为 0 或填充的键称为“已排除”。', en: 'Causal mask, padding mask; a key the causal mask removes is “masked”, one with weight 0 or padding “excluded”.' },
    avoid: ['已掩码', '被掩码'],
  },
  { id: 'padding', zh: '填充', en: 'padding', note: { zh: '设为填充的词元不作为键参与注意力。', en: 'A padding token takes no part as a key.' }, avoid: ['被填充的词元'] },
  {
    id: 'causal',
    zh: '因果掩码',
    en: 'causal mask',
    note: { zh: '词元 i 只关注 j ≤ i 的词元。', en: 'Token i attends only to tokens j ≤ i.' },
  },
  {
    id: 'rope',
    zh: '旋转位置编码',
    en: 'rotary position embedding (RoPE)',
    note: {
      zh: '按位置把 q 和 k 的坐标两两旋转（角度 = 位置 × θ_t），分数因此只取决于两个词元的距离。Llama、Qwen 等模型使用。',
      en: 'q and k are turned pair by pair by position × θ_t, so a score depends only on how far apart two tokens are. Used by Llama, Qwen and others.',
    },
    avoid: ['旋转位置嵌入', '旋转式位置编码', '旋转位置编码器'],
  },
  {
    id: 'gqa',
    zh: '分组查询注意力',
    en: 'grouped-query attention (GQA)',
    note: {
      zh: '几个查询头共享一个键/值头：键和值相同，查询各不相同；键值缓存随之变小。',
      en: 'Several query heads share one key/value head: the same keys and values, their own queries; the KV cache shrinks with it.',
    },
    avoid: ['群组查询', '分组注意力'],
  },
  { id: 'kv-head', zh: '键/值头', en: 'key/value head', note: { zh: '分组查询注意力中被几个查询头共享的 W^K、W^V。', en: 'In GQA, the W^K and W^V several query heads share.' }, avoid: ['键值头', 'KV 头'] },
  {
    id: 'local-attention',
    zh: '滑动窗口注意力（局部注意力）',
    en: 'sliding-window attention (local attention)',
    note: {
      zh: '因果注意力再加一个窗口：每个词元只看最近的 w 个词元（含自身）。GPT-Neo 的局部层、Mistral 使用。',
      en: 'Causal attention with a window: each token sees only its last w tokens, itself included. GPT-Neo’s local layers, Mistral.',
    },
    avoid: ['滑窗注意力', '局域注意力'],
  },
  {
    id: 'kv-cache',
    zh: '键值缓存',
    en: 'KV cache',
    note: {
      zh: '生成文本时保存每个已读词元的 k 和 v，新词元只需计算 A 的新一行。',
      en: 'While generating, the k and v of every token read so far are kept, so a new token adds only one row of A.',
    },
    avoid: [/KV ?缓存/, '键-值缓存'],
  },
  {
    id: 'online-softmax',
    zh: '在线 softmax',
    en: 'online softmax',
    note: {
      zh: '分块读入一行分数，只保存当前最大值 m、当前的和 ℓ 和输出，最大值变大时乘以 e^(m_old − m_new)；结果与完整的 softmax 完全相同（FlashAttention 的思路）。',
      en: 'A row of scores read in tiles, keeping only the running maximum m, sum ℓ and output, rescaled by e^(m_old − m_new) when m grows; exactly the full softmax (FlashAttention’s idea).',
    },
    avoid: ['在线归一化', '流式 softmax'],
  },
  { id: 'tile', zh: '分块', en: 'tile', note: { zh: '在线 softmax 一次读入的 B 个键。', en: 'The B keys the online softmax reads at a time.' }, avoid: ['瓦片'] },
  { id: 'convention', zh: '约定', en: 'convention', note: { zh: '原文的约定，或标准约定（Vaswani 等）。', en: 'The article’s, or the standard one (Vaswani et al.).' } },
  {
    id: 'head-score',
    zh: '得分',
    en: 'score (of a head)',
    note: { zh: '衡量注意力头行为的指标，如前词元得分；与 QKᵀ 的“分数”区分。', en: 'A measure of a head’s behaviour, e.g. previous-token score.' },
    avoid: ['评分', /归纳分数/, '前一词元', /前一 \{/],
  },
  {
    id: 'test-sequence',
    zh: '测试序列',
    en: 'test sequence',
    note: { zh: '重复两次的随机序列，用来测量归纳得分。', en: 'A random sequence repeated twice, on which the induction score is measured.' },
    // 探针 means a trained probe in interpretability.
    avoid: ['探针', '探测'],
    avoidEn: [/\bprobe\b/i],
  },
  { id: 'case', zh: '案例', en: 'case', note: { zh: '一组完整的输入数字（JSON 文件）。', en: 'A complete set of input numbers (a JSON file).' }, avoid: ['用例'] },
  {
    id: 'tokenize',
    zh: '按词 / 按字符',
    en: 'words / characters',
    note: { zh: '文本切分方式：中文按词语，或每个字符一个词元。', en: 'How text is split: into words, or one token per character.' },
    avoid: [/按字(?!符)/],
  },
  {
    id: 'views',
    zh: '注意力头 · 连线 · 矩阵 · 分步 · 模型',
    en: 'Heads · Lines · Matrices · Steps · Model',
    note: { zh: '前五个视图（标签页）的名称，在标签、提示和部件中相同；模型视图之后还有跨层的标签页。', en: 'The first five views (tabs), named the same in tabs, hints and the widget; the across-layers tabs follow Model.' },
    avoid: ['（头、'],
  },
  {
    id: 'attention-sink',
    zh: '注意力汇聚点',
    en: 'attention sink',
    note: { zh: '许多头把大部分注意力分给第一个词元；徽章简写为“汇聚点”。', en: 'Many heads give most of their attention to the first token; the badge says “sink”.' },
    avoid: [/汇聚(?!点)/, '注意力池', '注意力槽'],
  },
  { id: 'nat', zh: '奈特', en: 'nat', note: { zh: '以 e 为底的信息单位：损失和 KL 散度的单位。', en: 'The unit of information with base e: of the loss and the KL divergence.' }, avoid: [/\bnats?\b/] },
  { id: 'head-dim', zh: '头维度 d_k', en: 'head dimension d_k', note: { zh: '一个头的 Q、K、V 的列数；标准约定中 d_k = d/h。', en: 'The columns of one head’s Q, K, V; d_k = d/h in the standard convention.' }, avoid: ['d_head'] },
  {
    id: 'embed-page',
    zh: '嵌入网页',
    en: 'embed in a page',
    note: { zh: '把视图放进别的网页的按钮；单说“嵌入”指输入的嵌入向量。', en: 'The button that puts a view in another page; “embedding” alone is the input vector.' },
  },
  {
    id: 'rollout',
    zh: '注意力展开（rollout）',
    en: 'attention rollout',
    note: { zh: '把各层的注意力（加上残差）逐层相乘，看每个位置的信息来自哪些输入。', en: 'The layers’ attention (plus the residual) multiplied layer by layer: where each position’s information comes from.' },
    avoid: [/(?<!注意力展开（)rollout/i],
  },
  {
    id: 'logit-lens',
    zh: '逐层预测（logit lens）',
    en: 'logit lens',
    note: { zh: '每层之后直接读出模型的预测。', en: 'The model’s prediction read out after each layer.' },
    avoid: [/(?<!逐层预测（)logit lens/],
  },
  {
    id: 'product',
    zh: '注意力实验室',
    en: 'Attention Lab',
    note: { zh: '本应用的名称。', en: 'This app.' },
    avoid: ['Attention Lab'],
  },
  {
    id: 'clear-edits',
    zh: '清除手动修改',
    en: 'clear edits',
    note: { zh: '去掉在“矩阵”中改过的数字；“撤销”只退回上一步。', en: 'Removes the numbers edited in Matrices; Undo steps back once.' },
    avoid: ['撤销全部'],
  },
];

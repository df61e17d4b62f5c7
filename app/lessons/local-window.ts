// Lesson 7: local (sliding-window) attention on the example sentence, with a window set on the causal mask:
// the banded mask, what a token far back can no longer see, how stacking such layers widens the reach
// (rollout of the same layer stacked), and GPT-Neo's local layers on a real model.
import { sentenceCase } from './sentence.ts';
import { STORY_TEXT, TINYSTORIES_1M } from './models.ts';
import type { Lesson } from './types.ts';

export const localWindow: Lesson = {
  id: 'local-window',
  title: { en: '7. Sliding-window (local) attention', zh: '7. 滑动窗口注意力（局部注意力）' },
  summary: {
    en: 'Each token sees only the last few tokens: a band instead of a triangle. What falls out of reach, and how stacked layers bring it back.',
    zh: '每个词元只看最近的几个词元：掩码从三角形变成一条带。哪些词元够不着了，叠加的层又怎样把它们找回来。',
  },
  case: sentenceCase(true),
  steps: [
    {
      title: { en: 'Causal attention sees everything before', zh: '因果注意力看到之前的一切' },
      text: {
        en: 'In a decoder every token sees itself and every token before it: the mask is a triangle. In our sentence “it” gives “animal” {A[3][0]} of its attention — the word it stands for — and itself {A[3][3]}.',
        zh: '在解码器中，每个词元看到自己和它之前的所有词元：掩码是一个三角形。在我们的句子里，“它”把 {A[3][0]} 的注意力给了“动物”——它所指代的词——给自己 {A[3][3]}。',
      },
      tex: 'j \\le i',
      view: 'heads',
      state: { causal: true },
      highlight: { cell: { row: 3, col: 0 } },
    },
    {
      title: { en: 'A window on the mask', zh: '给掩码加一个窗口' },
      text: {
        en: 'GPT-Neo’s local layers, Mistral and Gemma let a token see only its last few tokens. With a window of {WIN} each token sees the last {WIN} tokens, itself included, and the triangle becomes a band. “animal” is out of reach of “it”: A = {A[3][0]} there, and “it” shares its attention between “because” ({A[3][2]}) and itself ({A[3][3]}).',
        zh: 'GPT-Neo 的局部层、Mistral 和 Gemma 都只让词元看到最近的几个词元。窗口为 {WIN} 时，每个词元只看最近的 {WIN} 个词元（含自身），三角形变成了一条带。“动物”超出了“它”的范围：那里 A = {A[3][0]}，“它”的注意力分给了“因为”（{A[3][2]}）和它自己（{A[3][3]}）。',
      },
      tex: 'i - w < j \\le i',
      view: 'heads',
      state: { causal: true, window: 2 },
      highlight: { cell: { row: 3, col: 0 } },
    },
    {
      title: { en: 'Stacked layers reach further', zh: '叠加的层看得更远' },
      text: {
        en: 'Information still travels: in the next layer, every token passes on what it saw in this one. Stacking layers with this window {WIN} (the rollout of the same map, layer after layer), “tired” hears from token {REACH[5][1]} on after one layer, from token {REACH[5][2]} after two and from token {REACH[5][3]} after three: each layer adds w − 1 tokens. The band saves work on long texts without cutting the far past off completely.',
        zh: '信息仍然可以传递：在下一层里，每个词元都会把它在这一层看到的内容传下去。把窗口为 {WIN} 的层一层层叠加（同一张图逐层做注意力展开），“累”在一层后能收到第 {REACH[5][1]} 个词元起的信息，两层后从第 {REACH[5][2]} 个起，三层后从第 {REACH[5][3]} 个起：每多一层多 w − 1 个词元。这条带在长文本上省下了计算，又没有把远处完全切断。',
      },
      tex: 'L \\text{ layers of window } w:\\ i - L(w-1) \\le j \\le i',
      view: 'heads',
      state: { causal: true, window: 2 },
      highlight: { cell: { row: 5, col: 4 } },
    },
    {
      title: { en: 'GPT-Neo’s local layers', zh: 'GPT-Neo 的局部层' },
      text: {
        en: 'GPT-Neo (here TinyStories-1M) alternates global and local layers: layer 1 sees every token before, layer {LAYER} only the last {WINL[1]}. The Model view marks the local layers with their window. This text has {N} tokens; the band cuts in once a text is longer than {WINL[1]} tokens.',
        zh: 'GPT-Neo（这里是 TinyStories-1M）交替使用全局层和局部层：第 1 层看到之前的所有词元，第 {LAYER} 层只看最近的 {WINL[1]} 个。“模型”视图给局部层标出了窗口。这段文本有 {N} 个词元；文本长于 {WINL[1]} 个词元时，这条带才起作用。',
      },
      tex: 'w = {\\small\\texttt{window\\_size}}',
      view: 'model',
      state: { model: { id: TINYSTORIES_1M, text: STORY_TEXT, layer: 1 } },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Back to our sentence, with a window of {WIN} now. Count which tokens “it” can see before you answer.',
        zh: '回到我们的句子，现在窗口是 {WIN}。回答之前，先数一数“它”能看到哪些词元。',
      },
      tex: 'w = 4',
      view: 'heads',
      state: { causal: true, window: 4 },
      exercise: {
        question: { en: 'With a window of 4, which key will “it” attend to most?', zh: '窗口为 4 时，“它”最关注哪个键？' },
        query: 3,
        explain: {
          en: '“it” is the fourth token, so a window of 4 still covers “animal”, “street”, “because” and “it” itself: nothing it cared about is cut off. “it” = (2, 0) points the same way as “animal” = (3, 0), the longest key in that direction, so “animal” keeps the largest score and weight.',
          zh: '“它”是第四个词元，窗口为 4 时仍能看到“动物”“街道”“因为”和它自己：它在意的键一个也没被切掉。“它” = (2, 0) 与“动物” = (3, 0) 方向相同，而“动物”是这个方向上最长的键，所以分数和权重仍然最大。',
        },
        teacher: {
          en: 'Students who answer “it” often count the window from the wrong end, or think a window always drops the oldest key. Have them list the keys with i − 4 < j ≤ i for i = 3 before answering; then ask whether the answer changes with a window of 2.',
          zh: '答“它”的学生往往从错误的一端数窗口，或以为窗口总是先丢掉最早的键。先让学生列出 i = 3 时满足 i − 4 < j ≤ i 的键，再回答；然后问：窗口为 2 时答案会变吗？',
        },
      },
    },
  ],
};

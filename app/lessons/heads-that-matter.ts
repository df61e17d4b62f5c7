// Lesson 4: which heads a prediction depends on, on the shipped character model. A random-looking
// letter string typed twice: after the second "kzw" the model copies what followed "kzw" the first
// time — the work of layer 2's induction heads, which need layer 1's previous-token head (L1 H2).
// The text names characters only; lessons.test.ts runs the model in Node to check every claim.
import type { HeadRef } from '../../state/document.ts';
import type { Lesson, StepModel } from './types.ts';

const TEXT = 'kzwqvjxb kzw';
const INDUCTION: readonly HeadRef[] = [0, 1, 2].map((head) => ({ layer: 1, head }));
const PREVIOUS_TOKEN: readonly HeadRef[] = [{ layer: 0, head: 1 }];

const on = (ablate: readonly HeadRef[] = []): StepModel => ({ id: 'brown-char', text: TEXT, ablate });

export const headsThatMatter: Lesson = {
  id: 'heads-that-matter',
  title: { en: '4. Find the heads that matter', zh: '4. 找出重要的注意力头' },
  summary: {
    en: 'On the trained model, switch heads off (ablation) and watch which ones a prediction depends on.',
    zh: '在训练好的模型上关掉一些头（消融），看看一个预测依赖哪些头。',
  },
  steps: [
    {
      title: { en: 'A sequence seen twice', zh: '出现两次的序列' },
      text: {
        en: 'The trained character model reads “kzwqvjxb kzw”: random letters, then their first three again. No English word helps here, yet after the second “kzw” the model predicts “q”: it copies what followed “kzw” the first time. The prediction is beside the table; the logit lens shows what each layer would predict.',
        zh: '训练好的字符模型读入“kzwqvjxb kzw”：一串随机字母，然后再次出现其中开头的三个字母。这里没有任何英文单词可以帮忙，但在第二个“kzw”之后，模型预测“q”：它照抄了第一次“kzw”之后的字母。预测列在表格旁边；逐层预测显示每一层之后模型会预测什么。',
      },
      tex: 'p(x_{n+1} \\mid x_1 \\ldots x_n)',
      view: 'lens',
      state: { model: on() },
    },
    {
      title: { en: 'Switch heads off', zh: '关掉注意力头' },
      text: {
        en: 'The Ablation tab switches heads off: an ablated head’s output z is replaced by zero before $W^O$, and the panel shows the prediction before and after, the change in log p of the predicted character and the KL divergence. Layer 2’s heads 1–3 are induction heads: at the second “kzw” they look at the letter that followed “kzw” before.',
        zh: '“消融”标签页可以关掉注意力头：被消融的头的输出 z 在 $W^O$ 之前被替换为零，面板显示消融前后的预测、被预测字符的 log p 的变化以及 KL 散度。第 2 层·头 1、头 2、头 3 是归纳头：在第二个“kzw”处，它们关注第一次“kzw”之后的那个字母。',
      },
      tex: 'z^h \\leftarrow 0',
      view: 'ablate',
      state: { model: on() },
    },
    {
      title: { en: 'Ablate the induction heads', zh: '消融归纳头' },
      text: {
        en: 'Now L2 H1, L2 H2 and L2 H3 are ablated together. The prediction of “q” collapses: look at Δ log p and at the list after ablation. Without its induction heads the model falls back on guessing a common English letter.',
        zh: '现在第 2 层·头 1、头 2、头 3 一起被消融。对“q”的预测崩溃了：请看 Δ log p 和消融后的列表。没有了归纳头，模型只能退回去猜一个常见的英文字母。',
      },
      tex: '\\Delta \\log p = \\log p_{\\text{ablated}}(\\text{q}) - \\log p(\\text{q})',
      view: 'ablate',
      state: { model: on(INDUCTION) },
    },
    {
      title: { en: 'Your turn', zh: '轮到你了' },
      text: {
        en: 'Layer 1’s head 2 is a previous-token head: each character attends to the one before it. This step ablates only that head, L1 H2, and keeps every head of layer 2. Then run “Which heads matter?” below the panel to ablate each head alone.',
        zh: '第 1 层·头 2 是前词元头：每个字符都关注它前面的那个字符。这一步只消融这个头（第 1 层·头 2），第 2 层的头全部保留。之后可以运行面板下方的“哪些头重要？”，依次单独消融每个头。',
      },
      tex: '\\text{L1 H2}: x_{i-1} \\rightarrow x_i',
      view: 'ablate',
      state: { model: on(PREVIOUS_TOKEN) },
      exercise: {
        kind: 'keepsTop',
        question: {
          en: 'With only L1 H2 ablated, will the top prediction still be “q”?',
          zh: '只消融第 1 层·头 2 时，排名第一的预测还会是“q”吗？',
        },
      },
    },
  ],
};

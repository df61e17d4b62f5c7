// The lessons, in the order of the source article, then one across the layers of the trained model.
import { headsThatMatter } from './heads-that-matter.ts';
import { multiHead } from './multi-head.ts';
import { selfAttention } from './self-attention.ts';
import type { Lesson } from './types.ts';
import { weightedAttention } from './weighted-attention.ts';

export const LESSONS: readonly Lesson[] = [selfAttention, weightedAttention, multiHead, headsThatMatter];

export type { Lesson, LessonStep } from './types.ts';

// The lessons, in the order of the source article, then one across the layers of the trained model, then
// the five ways today's models differ from 2017's.
import { groupedQuery } from './grouped-query.ts';
import { headsThatMatter } from './heads-that-matter.ts';
import { kvCache } from './kv-cache.ts';
import { localWindow } from './local-window.ts';
import { onlineSoftmax } from './online-softmax.ts';
import { rotaryPositions } from './rotary-positions.ts';
import { multiHead } from './multi-head.ts';
import { selfAttention } from './self-attention.ts';
import type { Lesson } from './types.ts';
import { weightedAttention } from './weighted-attention.ts';

export const LESSONS: readonly Lesson[] = [selfAttention, weightedAttention, multiHead, headsThatMatter, rotaryPositions, groupedQuery, localWindow, kvCache, onlineSoftmax];

export type { Lesson, LessonStep } from './types.ts';

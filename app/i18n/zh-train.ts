// 简体中文 messages of the train area (merged into zh.ts); TypeScript rejects a missing key.
import type { enTrain } from './en-train.ts';

export const zhTrain: Record<keyof typeof enTrain, string> = {
};

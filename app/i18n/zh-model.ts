// 简体中文 messages of the model area (merged into zh.ts); TypeScript rejects a missing key.
import type { enModel } from './en-model.ts';

export const zhModel: Record<keyof typeof enModel, string> = {
};

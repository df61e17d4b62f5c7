// 简体中文 messages of the modelview area (merged into zh.ts); TypeScript rejects a missing key.
import type { enModelView } from './en-modelview.ts';

export const zhModelView: Record<keyof typeof enModelView, string> = {
};

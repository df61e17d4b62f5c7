// English messages of the model area (merged into en.ts).
export const enModel = {
} as const;

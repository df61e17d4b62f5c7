// English messages of the modelview area (merged into en.ts).
export const enModelView = {
} as const;

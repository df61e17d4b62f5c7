// English messages of the train area (merged into en.ts).
export const enTrain = {
} as const;

// What the app shows about a loaded model (plain data: it crosses the worker boundary).
/** What the page shows about a loaded model. */
export interface ModelInfo {
  name: string;
  layers: number;
  heads: number;
  dModel: number;
  dHead: number;
  context: number;
  vocabSize: number;
  parameters: number;
  /** From the manifest's training record, when present (nats per character). */
  heldOutLoss: number | null;
  trainLoss: number | null;
  steps: number | null;
  dataSource: string | null;
}

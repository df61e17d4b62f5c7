// English wordings of the Hub's and the model loader's errors (merged into en.ts): the engine's own table,
// so the message the command line prints and the one the page shows in English are the same text.
import { HUB_WORDING, type HubReason } from '../engine/checkpoint/hubErrors.ts';

export const enHub = Object.fromEntries(Object.entries(HUB_WORDING).map(([reason, text]) => [`hubError.${reason}`, text])) as { readonly [R in HubReason as `hubError.${R}`]: string };

// The English message catalog: every user-visible string lives here.
// Keys are grouped by area; {name} placeholders are filled by t().
export const en = {
  // app
  'app.title': 'Attention Lab',
  // components
} as const;

export type MessageKey = keyof typeof en;

import { en, type MessageKey } from './en.ts';

export type { MessageKey };

/** Looks a message up and fills its {placeholders}. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

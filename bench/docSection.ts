// Writes one "## …" section of docs/performance.md, replacing that section if it is there (each
// benchmark owns one section and leaves the others as they are).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeDocSection(heading: string, section: string): void {
  const path = join(import.meta.dirname, '..', 'docs', 'performance.md');
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n';
  const start = doc.indexOf(heading);
  if (start >= 0) {
    const next = doc.indexOf('\n## ', start + 3);
    doc = doc.slice(0, start) + section + (next >= 0 ? `\n${doc.slice(next + 1)}` : '');
  } else {
    doc = `${doc.trimEnd()}\n\n${section}`;
  }
  writeFileSync(path, doc);
  console.log(`wrote ${path}`);
}

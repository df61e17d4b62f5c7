// Writes tests/fixtures/hub/bert-tiny/{config.json,model.safetensors}: a BertForMaskedLM with random weights
// (2 layers × 4 heads, d 32, vocab 48, 64 positions) in the layout transformers saves, from the tests' encoder
// writer (engine/checkpoint/test-encoders.ts), for the browser test of the encoders through the Hub stand-in.
// Its tokenizer is tests/fixtures/tokenizers/bert-tiny (the server overlays the two folders). Random weights:
// good for checking that the browser computes what Node computes, not for meaningful predictions.
//
//   npx tsx scripts/make-encoder-fixture.ts
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeCheckpoint } from '../engine/checkpoint/test-checkpoints.ts';
import { encoderConfig, syntheticEncoderTensors } from '../engine/checkpoint/test-encoders.ts';

/** Where the tiny encoder's weights live. */
export const ENCODER_FIXTURE_DIR = join(import.meta.dirname, '..', 'tests', 'fixtures', 'hub', 'bert-tiny');
/** Its context: long enough for a sentence pair of the tokenizer's words. */
export const ENCODER_FIXTURE_POSITIONS = 64;

/** The fixture's config.json and tensors (the test of the fixture compares the files with these). */
export function encoderFixture() {
  const positions = ENCODER_FIXTURE_POSITIONS;
  return { config: encoderConfig('bert', positions), tensors: syntheticEncoderTensors('bert', { positions, seed: 'bert-tiny-hub' }) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { config, tensors } = encoderFixture();
  writeCheckpoint(ENCODER_FIXTURE_DIR, config, tensors);
  console.log(`wrote ${ENCODER_FIXTURE_DIR}`);
}

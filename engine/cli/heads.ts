// Entry point of `npm run --silent heads -- DIR --corpus FILE [--top K]` (see headsRun.ts for the contract).
// On a terminal, progress goes to stderr on one line that is cleared at the end.
import { runHeadsCli } from './headsRun.ts';
import type { CorpusProgress } from '../corpus/run.ts';

const tty = process.stderr.isTTY;
const progress = (p: CorpusProgress) => {
  const rate = p.tokens / (p.elapsedMs / 1000);
  const left = ((p.total - p.done) * p.elapsedMs) / p.done / 1000;
  process.stderr.write(`\r${p.done}/${p.total} sequences, ${p.tokens.toLocaleString('en')} tokens, ${rate.toFixed(0)} tokens/s, ~${left.toFixed(0)} s left `);
};

const { code, stdout, stderr } = await runHeadsCli(process.argv.slice(2), tty ? progress : undefined);
if (tty) process.stderr.write('\r\x1b[K');
if (stdout) process.stdout.write(stdout);
if (stderr) process.stderr.write(stderr);
process.exitCode = code;

// Entry point of `npm run --silent attention -- FILE` (see run.ts for the contract).
import { runCli } from './run.ts';
import { chunkedStdout } from './chunkedStdout.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const { write, flush } = chunkedStdout();

const { code, stdout, stderr } = await runCli(process.argv.slice(2), { readStdin, write });
flush();
if (stdout) process.stdout.write(stdout);
if (stderr) process.stderr.write(stderr);
process.exitCode = code;

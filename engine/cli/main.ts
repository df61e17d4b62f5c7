// Entry point of `npm run --silent attention -- FILE` (see run.ts for the contract).
import { runCli } from './run.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The result is written in pieces of about 1 MB, so that big results never form one giant string.
let buffer: string[] = [];
let size = 0;
function flush(): void {
  if (size > 0) process.stdout.write(buffer.join(''));
  buffer = [];
  size = 0;
}
function write(piece: string): void {
  buffer.push(piece);
  size += piece.length;
  if (size >= 1 << 20) flush();
}

const { code, stdout, stderr } = await runCli(process.argv.slice(2), { readStdin, write });
flush();
if (stdout) process.stdout.write(stdout);
if (stderr) process.stderr.write(stderr);
process.exitCode = code;

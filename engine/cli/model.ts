// Entry point of `npm run --silent model -- DIR --ids 1,2,3` (see modelRun.ts for the contract).
import { runModelCli } from './modelRun.ts';

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

const { code, stdout, stderr } = await runModelCli(process.argv.slice(2), write);
flush();
if (stdout) process.stdout.write(stdout);
if (stderr) process.stderr.write(stderr);
process.exitCode = code;

// Entry point of `npm run --silent model -- DIR --ids 1,2,3` (see modelRun.ts for the contract).
import { runModelCli } from './modelRun.ts';
import { chunkedStdout } from './chunkedStdout.ts';

const { write, flush } = chunkedStdout();

const { code, stdout, stderr } = await runModelCli(process.argv.slice(2), write);
flush();
if (stdout) process.stdout.write(stdout);
if (stderr) process.stderr.write(stderr);
process.exitCode = code;

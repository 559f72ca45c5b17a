#!/usr/bin/env node
// The `lmp` binary: hand the arguments to `run` and exit with its code.
import { run } from './cli.js';

// `lmp … | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;

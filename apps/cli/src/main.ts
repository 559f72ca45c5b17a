#!/usr/bin/env node
// The `lmp` binary: hand the arguments to `run` and exit with its code.

// `lmp … | head` closes the pipe early: stop quietly, as Unix tools do, instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

// tensor applies LMP_BACKEND when it is first imported (and warns there, in its own words, about a
// bad value or a wasm that cannot load). lmp reads it itself — `--backend` first, a bad value is a
// usage error, a failed load one `lmp: warning:` line — so the variable is hidden from that import.
const requestedBackend = process.env.LMP_BACKEND;
delete process.env.LMP_BACKEND;
const { run } = await import('./cli.js');
if (requestedBackend !== undefined) process.env.LMP_BACKEND = requestedBackend;

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;

export {}; // a module: top-level await

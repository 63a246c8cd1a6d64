#!/usr/bin/env node
// The CLI entry point: runs the compiled CLI (built by `npm install` through `prepare`).
// main() flushes its output before it returns; exiting then means no lingering handle (a
// terminal left open by the interactive SQL prompt, DuckDB's worker threads) can keep a finished
// command alive.
import { main } from '../dist/cli/main.js';

process.exit(await main(process.argv));

#!/usr/bin/env node
// The CLI entry point: runs the CLI bundle (dist/cli-bundle/, built by `npm run build`, which
// `npm install` runs through `prepare`). main() flushes its output before it returns; exiting then
// means no lingering handle (a terminal left open by the interactive SQL prompt, DuckDB's worker
// threads) can keep a finished command alive.
//
// Nothing but a command's own output may reach the terminal. The AWS SDK (loaded for an s3://
// repository only) warns on every start that its 2027 releases will need Node.js 22; its
// documented switch turns that off (github.com/aws/aws-sdk-js-v3/issues/7983). A value the user
// set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/cli-bundle/main.js');
process.exit(await main(process.argv));

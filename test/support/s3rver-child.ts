// s3rver in a process of its own, so a test can SIGKILL it mid-request (an object store dying,
// not closing politely) and start it again on the same port and directory: run with
// `node --import tsx test/support/s3rver-child.ts <directory> <bucket> <port>` (port 0: any free
// one). Prints `LISTENING <port>` once it accepts requests; the bucket and every object written
// before a kill are still there after a restart.
import { createRequire } from 'node:module';
import { letS3rverUseDes, type S3rverConstructor } from './s3-server.js';

const [directory, bucket, portText] = process.argv.slice(2);
const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  if (!directory || !bucket) throw new Error('usage: s3rver-child <directory> <bucket> <port>');
  letS3rverUseDes();
  const S3rver = require('s3rver') as S3rverConstructor;
  const server = new S3rver({
    address: '127.0.0.1',
    port: Number(portText ?? 0),
    directory,
    silent: process.env.S3RVER_LOG !== '1',
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  process.stdout.write(`LISTENING ${address.port}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

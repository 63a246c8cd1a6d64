// A micro-check, not a test: how fast payloadDecoder decodes a 256 MiB signed aws-chunked body
// (64 KiB chunks, fed in 64 KiB pieces that straddle chunk boundaries, as a socket would give
// them). Run: npx tsx src/server/gateway/sigv4/test-support/decode-throughput.ts [MiB] [chunkKiB]
import { createHash, createHmac, randomFillSync } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { payloadDecoder } from '../index.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const mib = Number(process.argv[2] ?? 256);
const chunkSize = Number(process.argv[3] ?? 64) * 1024;
const key = createHmac('sha256', 'k').update('x').digest();
const amzDate = '20260101T000000Z';
const scope = '20260101/us-east-1/s3/aws4_request';
const seed = '0'.repeat(64);

function buildBody(total: number): Buffer {
  const data = randomFillSync(Buffer.allocUnsafe(chunkSize));
  const chunks = Math.ceil(total / chunkSize);
  const headerLen = (n: number) => n.toString(16).length + 17 + 64 + 2;
  const body = Buffer.allocUnsafe(
    chunks * (headerLen(chunkSize) + chunkSize + 2) + headerLen(0) + 2,
  );
  let at = 0;
  let prev = seed;
  const sign = (dataHash: string) =>
    createHmac('sha256', key)
      .update(['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, prev, EMPTY, dataHash].join('\n'))
      .digest('hex');
  const dataHash = createHash('sha256').update(data).digest('hex');
  for (let i = 0; i < chunks; i++) {
    prev = sign(dataHash);
    at += body.write(`${chunkSize.toString(16)};chunk-signature=${prev}\r\n`, at, 'latin1');
    at += data.copy(body, at);
    at += body.write('\r\n', at, 'latin1');
  }
  prev = sign(EMPTY);
  at += body.write(`0;chunk-signature=${prev}\r\n\r\n`, at, 'latin1');
  return body.subarray(0, at);
}

async function main(): Promise<void> {
  const total = mib * 1024 * 1024;
  const body = buildBody(total);
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += 65536) pieces.push(body.subarray(i, i + 65536));
  for (let run = 1; run <= 3; run++) {
    let got = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await pipeline(
      Readable.from(pieces),
      payloadDecoder(
        {
          kind: 'streaming-signed',
          trailer: false,
          seedSignature: seed,
          signingKey: key,
          scope,
          amzDate,
        },
        { decodedLength: total },
      ),
      new Writable({
        write(chunk: Buffer, _e, cb) {
          got += chunk.length;
          cb();
        },
      }),
    );
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuS = (used.user + used.system) / 1e6;
    // On a shared machine the wall clock counts other processes' time; CPU time does not.
    console.log(
      `run ${run}: ${got} bytes in ${s.toFixed(3)} s wall = ${(total / 1e6 / s).toFixed(0)} MB/s; ` +
        `${cpuS.toFixed(3)} s CPU = ${(total / 1e6 / cpuS).toFixed(0)} MB per CPU-second`,
    );
  }
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const p of pieces) createHash('sha256').update(p).digest();
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  console.log(
    `bare SHA-256 of the same bytes: ${(body.length / 1e6 / s).toFixed(0)} MB/s wall, ` +
      `${(body.length / 1e6 / cpuS).toFixed(0)} MB per CPU-second`,
  );
}

await main();

// The S3 gateway's single pass over a PUT body: spool it to a local file while hashing it (the
// content address and checksum with BlobHasher, and the MD5 that is its ETag), so that storing it
// needs no second read — on the local store the spool file is renamed into place. The result is
// a HashedBody, the only kind of body whose address core trusts without hashing it itself.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobHasher } from '../common/hash.js';
import type { ObjectAddress } from '../common/ids.js';
import { OffloadedMd5 } from '../common/md5-offload.js';
import { TEMP_PREFIX } from '../storage/keys.js';
import type { ObjectStore } from '../storage/object-store.js';
import { UPLOADS_PREFIX } from './layout.js';
import { brandHashed, type HashedBody, isGenuineHashed } from './object-io.js';

/**
 * Writes `stream` to a new file in `dir` (best on the local store's filesystem: then storing it is
 * a rename), hashing it on the way. The file is removed if the stream fails; once hashed, it is
 * the caller's until stored (putObject, uploadPart consume it) — `discardSpool` otherwise.
 */
export async function hashingSpool(
  stream: Readable,
  dir: string,
  opts: { signal?: AbortSignal; md5?: boolean } = {},
): Promise<HashedBody> {
  const file = join(dir, `${TEMP_PREFIX}spool-${randomBytes(12).toString('hex')}`);
  const hasher = new BlobHasher();
  // MD5 costs as much as the two SHA-256s together: it runs on a worker thread meanwhile, and a
  // caller that needs no ETag skips it.
  const md5 = opts.md5 === false ? undefined : new OffloadedMd5();
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const wait = md5?.update(chunk);
      hasher.update(chunk);
      if (wait) wait.then(() => cb(null, chunk), cb);
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(file, { flags: 'wx' }), { signal: opts.signal });
  } catch (err) {
    md5?.discard();
    await rm(file, { force: true });
    throw err;
  }
  const h = hasher.digest();
  return brandHashed({
    file,
    blob: { ...h, address: h.address as ObjectAddress },
    md5: md5 ? await md5.digest() : '',
  });
}

/**
 * Where to spool bodies for `store`: inside the local store's own directory (so storing is a
 * rename on the same filesystem), else the system's temporary directory.
 */
export async function spoolDirFor(store: ObjectStore): Promise<string> {
  if (!store.localPath) return tmpdir();
  const dir = dirname(store.localPath(`${UPLOADS_PREFIX}spool`));
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Removes a spooled body that will not be stored (a refused write). */
export async function discardSpool(body: HashedBody): Promise<void> {
  await rm(body.file, { force: true });
}

/**
 * Runs a write that consumes `bodies`: spooled ones are moved into the store when it succeeds,
 * and removed when it fails (refused, ifAbsent, an outage) — the caller never cleans up after a
 * write. Only genuine spools are removed: never a file named by a look-alike body.
 */
export async function consumingSpools<T>(bodies: readonly unknown[], write: () => Promise<T>) {
  try {
    return await write();
  } finally {
    for (const b of bodies) if (isGenuineHashed(b)) await rm(b.file, { force: true });
  }
}

// DeleteObjects (POST ?delete): up to 1000 keys, possibly on several branches, each answered on
// its own — Deleted, or an Error with the S3 code (AccessDenied for a tag, an alias, a protected
// branch or a branch the caller may not write). The permission is asked per distinct branch here,
// once the body names them (the frame asks before a body is read). A key that holds nothing counts
// as deleted, as in S3. Content-MD5 or x-amz-checksum-* is checked when sent.
import { PathNotFoundError, type Repository } from '../../../index.js';
import { enforce } from '../../permissions.js';
import { canonicalPath, entryAt, repositoryOf, writableBranch } from '../object-target.js';
import type { GatewayContext, Operation, S3Call } from '../operation.js';
import { sendXml } from '../respond.js';
import { S3Error, toS3Error } from '../s3-errors.js';
import { UploadDigests } from '../upload-digests.js';
import { asList, parseXmlBody, type XmlElement, xmlDocument } from '../xml.js';
import { deleteIfPresent } from './delete-object.js';

const MAX_KEYS = 1000;
/** 1000 keys of 1024 bytes and their XML. */
const MAX_BODY = 2 * 1024 * 1024;

interface KeyResult {
  key: string;
  error?: S3Error;
}

async function readBody(call: S3Call): Promise<string> {
  const digests = new UploadDigests(call.s3.headers);
  const body = call.body();
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    digests.update(chunk as Buffer);
    if (digests.size > MAX_BODY)
      throw new S3Error('MalformedXML', `The Delete document is larger than ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  digests.finish(body.trailers());
  return Buffer.concat(chunks).toString('utf8');
}

function keysOf(doc: Record<string, unknown>): { keys: string[]; quiet: boolean } {
  const objects = asList(doc.Object as Record<string, unknown> | Record<string, unknown>[]);
  if (objects.length === 0 || objects.length > MAX_KEYS)
    throw new S3Error('MalformedXML', `A Delete names 1 to ${MAX_KEYS} objects.`);
  const keys = objects.map((o) => {
    if (o.VersionId !== undefined)
      throw new S3Error(
        'NotImplemented',
        'object versions are not implemented by the Sluice gateway',
      );
    if (typeof o.Key !== 'string' || o.Key === '')
      throw new S3Error('MalformedXML', 'Every Object of a Delete has a Key.');
    return o.Key;
  });
  return { keys, quiet: String(doc.Quiet).toLowerCase() === 'true' };
}

function splitKey(key: string): { ref: string; path: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { ref: key, path: '' }
    : { ref: key.slice(0, slash), path: key.slice(slash + 1) };
}

/** Deletes the paths of one ref's keys; the refusal of the ref or the branch answers for each. */
async function deleteOnRef(
  g: GatewayContext,
  call: S3Call,
  repo: Repository,
  ref: string,
  keys: string[],
): Promise<KeyResult[]> {
  try {
    const branch = await writableBranch(g, repo, ref);
    const subject = call.req.subject;
    if (!subject) throw new S3Error('AccessDenied', 'the request has no signed-in user');
    await enforce(g.server.host, subject, [
      { action: 'branch:Write', repository: repo.name, branch },
    ]);
    const present: string[] = [];
    for (const key of keys) {
      const p = canonicalPath(splitKey(key).path);
      if (p !== undefined && (await entryAt(repo, branch, p))) present.push(p);
    }
    if (present.length > 0) {
      try {
        await repo.deleteObjects(branch, present);
      } catch (err) {
        // One of them went meanwhile: the rest one by one (each missing one is deleted anyway).
        if (!(err instanceof PathNotFoundError)) throw err;
        for (const p of present) await deleteIfPresent(repo, branch, p);
      }
    }
    return keys.map((key) => ({ key }));
  } catch (err) {
    const error = toS3Error(err);
    return keys.map((key) => ({ key, error }));
  }
}

function resultDocument(results: KeyResult[], quiet: boolean): string {
  const deleted: XmlElement[] = [];
  const errors: XmlElement[] = [];
  for (const r of results) {
    if (r.error) errors.push({ Key: r.key, Code: r.error.code, Message: r.error.message });
    else if (!quiet) deleted.push({ Key: r.key });
  }
  return xmlDocument('DeleteResult', {
    ...(deleted.length > 0 ? { Deleted: deleted } : {}),
    ...(errors.length > 0 ? { Error: errors } : {}),
  });
}

export const deleteObjects: Operation = {
  name: 'DeleteObjects',
  // Signed in is enough to ask; each branch named in the body is asked for below.
  permission: () => [],
  async handle(g: GatewayContext, call: S3Call) {
    const repo = await repositoryOf(g, call.s3);
    const { keys, quiet } = keysOf(parseXmlBody(await readBody(call), 'Delete'));
    const byRef = new Map<string, string[]>();
    for (const key of keys) {
      const { ref } = splitKey(key);
      const list = byRef.get(ref) ?? [];
      list.push(key);
      byRef.set(ref, list);
    }
    const outcome = new Map<string, KeyResult>();
    for (const [ref, refKeys] of byRef)
      for (const r of await deleteOnRef(g, call, repo, ref, refKeys)) outcome.set(r.key, r);
    const results = keys.map((key) => outcome.get(key) as KeyResult);
    return sendXml(call.reply, resultDocument(results, quiet));
  },
};

// What the remote object commands share: an object's entry (stat) and its bytes (whole, or a
// stream) from the server.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { EntryJson } from '../../internal.js';
import type { RemoteSession } from './session.js';

export async function statRemote(s: RemoteSession, ref: string, path: string): Promise<EntryJson> {
  const repository = await s.repository();
  return s.call(
    s.client.GET('/api/v1/repositories/{repository}/refs/{ref}/objects/stat', {
      params: { path: { repository, ref }, query: { path } },
    }),
  );
}

function objectCall(
  s: RemoteSession,
  repository: string,
  ref: string,
  path: string,
  parseAs: 'arrayBuffer' | 'stream',
) {
  return s.client.GET('/api/v1/repositories/{repository}/refs/{ref}/objects', {
    params: { path: { repository, ref }, query: { path } },
    parseAs,
  });
}

export async function bytesRemote(
  s: RemoteSession,
  ref: string,
  path: string,
): Promise<Uint8Array> {
  const repository = await s.repository();
  const data = await s.call(objectCall(s, repository, ref, path, 'arrayBuffer'));
  return new Uint8Array(data as unknown as ArrayBuffer);
}

export async function streamRemote(s: RemoteSession, ref: string, path: string): Promise<Readable> {
  const repository = await s.repository();
  const body = await s.call(objectCall(s, repository, ref, path, 'stream'));
  return Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
}

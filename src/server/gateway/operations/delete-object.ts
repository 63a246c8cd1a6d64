// DeleteObject: stages a tombstone on the branch, like `sluice rm`. A key that holds nothing is a
// success that stages nothing (204, as S3 answers); a tag, alias or commit is AccessDenied.
import { PathNotFoundError, type Repository } from '../../../index.js';
import { canonicalPath, entryAt, repositoryOf, writableBranch } from '../object-target.js';
import { type GatewayContext, type Operation, type S3Call, writeAsk } from '../operation.js';

/** Deletes `path` on `branch` if it holds an entry; a key that names nothing is already gone. */
export async function deleteIfPresent(
  repo: Repository,
  branch: string,
  path: string,
): Promise<void> {
  const p = canonicalPath(path);
  if (p === undefined || !(await entryAt(repo, branch, p))) return;
  try {
    await repo.deleteObjects(branch, [p]);
  } catch (err) {
    // Deleted by someone else between the look and the delete: gone either way.
    if (!(err instanceof PathNotFoundError)) throw err;
  }
}

export const deleteObject: Operation = {
  name: 'DeleteObject',
  permission: writeAsk,
  async handle(g: GatewayContext, { s3, reply }: S3Call) {
    const repo = await repositoryOf(g, s3);
    const branch = await writableBranch(g, repo, s3.ref as string);
    await deleteIfPresent(repo, branch, s3.path);
    return reply.code(204).send();
  },
};

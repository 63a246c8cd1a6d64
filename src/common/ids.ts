// Branded identifiers: a value of one of these types was made by the parse function below it,
// so code that receives one can trust its shape.
import { InvalidNameError, InvalidPathError } from './errors.js';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** SHA-256 hex of a commit's canonical bytes. */
export type CommitId = Brand<string, 'CommitId'>;
/** SHA-256 hex of a range/index node's canonical bytes. */
export type NodeId = Brand<string, 'NodeId'>;
/** SHA-256 hex of a data object's tagged bytes. */
export type ObjectAddress = Brand<string, 'ObjectAddress'>;
export type BranchName = Brand<string, 'BranchName'>;
export type TagName = Brand<string, 'TagName'>;
export type AliasName = Brand<string, 'AliasName'>;
/** A normalized path inside a repository: no leading slash, no `.`/`..` segments. */
export type RepoPath = Brand<string, 'RepoPath'>;

// Ref names follow git's check-ref-format, a little stricter, so a name never reads as a ref
// expression (`~`, `^`, `@{`) and never as a commit id.
const NAME_CHARS = /^[A-Za-z0-9._\-/]+$/;

export function validateRefName(name: string, kind: 'branch' | 'tag' | 'alias'): string {
  const fail = (reason: string): never => {
    throw new InvalidNameError(`invalid ${kind} name ${JSON.stringify(name)}: ${reason}`, {
      name,
      kind,
      reason,
    });
  };
  if (name.length === 0) fail('it is empty');
  if (name.length > 200) fail('it is longer than 200 characters');
  if (!NAME_CHARS.test(name)) fail('use only letters, digits, ".", "_", "-" and "/"');
  if (!/^[A-Za-z0-9]/.test(name)) fail('it must start with a letter or a digit');
  if (name.endsWith('/') || name.endsWith('.')) fail('it must not end with "/" or "."');
  if (name.includes('..')) fail('it must not contain ".."');
  if (name.includes('//')) fail('it must not contain "//"');
  if (name.split('/').some((s) => s.startsWith('.') || s.endsWith('.lock'))) {
    fail('no component may start with "." or end with ".lock"');
  }
  if (/^[0-9a-f]{8,64}$/.test(name)) fail('it could be mistaken for a commit id');
  if (name === 'HEAD') fail('"HEAD" is reserved');
  return name;
}

export const parseBranchName = (s: string): BranchName =>
  validateRefName(s, 'branch') as BranchName;
export const parseTagName = (s: string): TagName => validateRefName(s, 'tag') as TagName;
export const parseAliasName = (s: string): AliasName => validateRefName(s, 'alias') as AliasName;

/**
 * Normalizes and validates a path inside the repository. Refuses absolute paths, `..`,
 * empty segments after normalization, control characters and over-long paths: a path names
 * a key, never a location on anyone's disk.
 */
export function parseRepoPath(
  input: string,
  opts: { allowEmpty?: boolean; allowTrailingSlash?: boolean } = {},
): RepoPath {
  const fail = (reason: string): never => {
    throw new InvalidPathError(`invalid path ${JSON.stringify(input)}: ${reason}`, {
      path: input,
      reason,
    });
  };
  if (input.startsWith('/') || /^[A-Za-z]:[\\/]/.test(input))
    fail('absolute paths are not allowed');
  if (input.includes('\\')) fail('use "/" as the separator');
  if (/[\u0000-\u001f\u007f]/.test(input)) fail('control characters are not allowed');
  const trailing = input.endsWith('/');
  const segments = input.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) fail('".." is not allowed');
  const path = segments.join('/');
  if (path === '' && !opts.allowEmpty) fail('it is empty');
  if (Buffer.byteLength(path, 'utf8') > 1024) fail('it is longer than 1024 bytes');
  return (trailing && opts.allowTrailingSlash && path !== '' ? `${path}/` : path) as RepoPath;
}

// Resource patterns: `*` matches any run of characters (slashes too), everything else itself —
// IAM's matching, which users of S3 policies already read fluently. `sales/ingest/*` names every
// ingest branch of repository `sales`; `*` names everything.

const cache = new Map<string, RegExp>();

export function globMatches(pattern: string, value: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 's');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}

// An option that names a file on this machine (a project directory, a report file) means nothing
// to a server, which uses its own project: refused by name rather than silently ignored.
import { InvalidArgumentError } from '../../index.js';

export function refuseLocalOption(option: string, given: unknown): void {
  if (given === undefined) return;
  throw new InvalidArgumentError(
    `${option} names a path on this machine: with --remote the server uses its own project`,
    { argument: option, reason: 'not with --remote' },
  );
}

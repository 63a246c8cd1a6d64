// Loaded by CommandContext.repo() when a command first needs the repository: opening one brings
// the MetaStore (SQLite or PostgreSQL), the object store and the branch gates with it, which
// `--version`, `--help` and commands that never open a repository should not pay for.
export { openRepository } from '../index.js';

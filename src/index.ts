// The library surface: what a TypeScript user imports, and what the CLI and server call.
export * from './common/errors.js';
export type { CommitId, BranchName, TagName, AliasName, RepoPath, ObjectAddress, NodeId } from './common/ids.js';
export { Repository } from './core/repository.js';
export type { BranchInfo, ListItem, MergeOptions, MergeResult, PutItem, Progress } from './core/repository.js';
export type { Commit } from './core/commit-codec.js';
export type { Change, ChangeType, EntryValue, TreeEntry } from './core/entry.js';
export type { GcOptions, GcReport } from './core/gc.js';
export type { FsckOptions, FsckProblem, FsckReport } from './core/fsck.js';
export type { MergeStrategy } from './core/merge.js';
export type { ResolvedRef } from './core/refs.js';
export { initRepository, openRepository, type InitOptions } from './api/open-repository.js';
export { findRepoDir, readConfig, type RepoConfig } from './api/repo-config.js';
export type { ObjectStore } from './storage/object-store.js';
export type { MetaStore } from './meta/meta-store.js';

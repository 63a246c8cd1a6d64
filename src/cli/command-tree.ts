// Every command of `sluice`, in the groups `sluice help` shows them in. A command is added here
// and declared in commands/<name>.ts (what it writes, its options); its handler stays unloaded
// until it runs.
import { aliasDelete } from './commands/alias-delete.js';
import { aliasList } from './commands/alias-list.js';
import { aliasSet } from './commands/alias-set.js';
import { auth } from './commands/auth.js';
import { branchCreate } from './commands/branch-create.js';
import { branchDelete } from './commands/branch-delete.js';
import { branchList } from './commands/branch-list.js';
import { branchReset } from './commands/branch-reset.js';
import { build, run, seed, test } from './commands/build.js';
import { cat } from './commands/cat.js';
import { check } from './commands/check.js';
import { cherryPick } from './commands/cherry-pick.js';
import { commit } from './commands/commit.js';
import { compile } from './commands/compile.js';
import { completion } from './commands/completion.js';
import { config } from './commands/config.js';
import { deploy } from './commands/deploy.js';
import { diff } from './commands/diff.js';
import { env } from './commands/env-status.js';
import { events } from './commands/events.js';
import { exportCmd } from './commands/export.js';
import { exportRef } from './commands/export-ref.js';
import { fsck } from './commands/fsck.js';
import { gc } from './commands/gc.js';
import { get } from './commands/get.js';
import { group } from './commands/group.js';
import { impact } from './commands/impact.js';
import { importCmd } from './commands/import.js';
import { ingest } from './commands/ingest.js';
import { init } from './commands/init.js';
import { key } from './commands/key.js';
import { lineage } from './commands/lineage.js';
import { load } from './commands/load.js';
import { log } from './commands/log.js';
import { ls } from './commands/ls.js';
import { merge } from './commands/merge.js';
import { metrics } from './commands/metrics.js';
import { policy } from './commands/policy.js';
import { presign } from './commands/presign.js';
import { profile } from './commands/profile.js';
import { promote } from './commands/promote.js';
import { put } from './commands/put.js';
import { quickstart } from './commands/quickstart.js';
import { reset } from './commands/reset.js';
import { revert } from './commands/revert.js';
import { rm } from './commands/rm.js';
import { rollback } from './commands/rollback.js';
import { sandbox } from './commands/sandbox.js';
import { schedule } from './commands/schedule.js';
import { serve } from './commands/serve.js';
import { show } from './commands/show.js';
import { source } from './commands/source-freshness.js';
import { sql } from './commands/sql.js';
import { status } from './commands/status.js';
import { tableDiff } from './commands/table-diff.js';
import { tableHistory } from './commands/table-history.js';
import { tableList } from './commands/table-list.js';
import { tableShow } from './commands/table-show.js';
import { tagCreate } from './commands/tag-create.js';
import { tagDelete } from './commands/tag-delete.js';
import { tagList } from './commands/tag-list.js';
import { user } from './commands/user.js';
import { defineGroup, type Spec } from './define.js';

export interface HelpGroup {
  /** The heading `sluice help` prints above the group. */
  heading: string;
  commands: readonly Spec[];
}

const branch = defineGroup({
  name: 'branch',
  description: 'create, list, delete and move branches',
  subcommands: [branchCreate, branchList, branchDelete, branchReset],
});

const tag = defineGroup({
  name: 'tag',
  description: 'create, list and delete tags',
  subcommands: [tagCreate, tagList, tagDelete],
});

const alias = defineGroup({
  name: 'alias',
  description: 'set, list and delete aliases (names for branches)',
  subcommands: [aliasSet, aliasList, aliasDelete],
});

const table = defineGroup({
  name: 'table',
  description: 'list, show, trace and diff tables',
  subcommands: [tableList, tableShow, tableHistory, tableDiff],
});

export const COMMAND_TREE: readonly HelpGroup[] = [
  {
    heading: 'Versioning:',
    commands: [
      init,
      put,
      get,
      cat,
      importCmd,
      exportRef,
      ls,
      rm,
      status,
      commit,
      log,
      diff,
      show,
      branch,
      reset,
      merge,
      revert,
      cherryPick,
      tag,
      alias,
    ],
  },
  { heading: 'Tables:', commands: [ingest, sql, exportCmd, table] },
  { heading: 'Quality:', commands: [check, profile, config] },
  {
    heading: 'Pipelines:',
    commands: [build, run, test, seed, compile, lineage, impact, source],
  },
  {
    heading: 'Workflows:',
    commands: [load, schedule, sandbox, promote, deploy, rollback, env, events, metrics],
  },
  { heading: 'Server:', commands: [serve, presign, auth, user, key, group, policy] },
  { heading: 'Maintenance:', commands: [gc, fsck] },
  { heading: 'Other:', commands: [quickstart, completion] },
];

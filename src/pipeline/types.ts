// The shapes the pipeline's parts share: the project graph (what `sluice compile` resolves and
// the manifest records) and a build's results (what run_results.json and OpenLineage report).
import type { Column } from '../engine/tables.js';

export type Materialization = 'table' | 'view' | 'incremental' | 'ephemeral';
export type NodeKind = 'seed' | 'model' | 'test' | 'source' | 'exposure';

/** A column as a project documents it (models/*.yml). */
export interface ColumnDoc {
  name: string;
  description?: string;
  /** Declared type (`data_type`), checked when the model's contract is enforced. */
  dataType?: string;
}

/**
 * One node of the project graph, in dbt's vocabulary. Ids are dbt's: `model.<project>.<name>`,
 * `seed.<project>.<name>`, `test.<project>.<test name>`, `source.<project>.<source>.<table>`,
 * `exposure.<project>.<name>`.
 */
export interface GraphNode {
  uniqueId: string;
  kind: NodeKind;
  name: string;
  /** The file that defines the node, relative to the project root (`models/stg/orders.sql`). */
  path?: string;
  /** Ids of the nodes this one reads (refs, sources, a test's model, an exposure's depends_on). */
  dependsOn: string[];
  tags: string[];
  description?: string;
  /** Models (and seeds: always `table`). */
  materialized?: Materialization;
  /** The table a model or seed writes, or a source reads. */
  relation?: string;
  columns: ColumnDoc[];
  /** Models: the SQL as written, and as rendered (ref/source resolved, Jinja evaluated). */
  rawCode?: string;
  compiledCode?: string;
  /** Sources: the source's name; exposures: type, owner, url; anything else from `meta:`. */
  meta: Record<string, unknown>;
}

export interface ProjectGraph {
  /** The project's name (`sluice.yml` or `dbt_project.yml`). */
  project: string;
  /** By uniqueId, in a topological order (every node after the nodes it depends on). */
  nodes: Map<string, GraphNode>;
  /** The docs blocks (`{% docs name %}` in `.md` files under the model paths), by name. */
  docs?: Map<string, DocBlock>;
}

export interface DocBlock {
  /** Stripped, as dbt keeps it. */
  text: string;
  /** Relative to the project. */
  file: string;
  /** Relative to its model path (dbt's `path`). */
  path: string;
  line: number;
}

export type NodeStatus =
  | 'success' // a model or seed built
  | 'reused' // a model whose fingerprint was built before: its files reused, nothing computed
  | 'pass' // a test
  | 'warn'
  | 'fail'
  | 'error' // a model that could not build, a test that could not run
  | 'skipped'; // downstream of a failure

/** What one node of a build did. */
export interface NodeResult {
  uniqueId: string;
  kind: 'seed' | 'model' | 'test';
  name: string;
  status: NodeStatus;
  startedAt: Date;
  completedAt: Date;
  /** Rows written (models, seeds) or failing rows (tests). */
  rows?: number;
  failures?: number;
  message?: string;
  /** Models and seeds: the table written and its columns. */
  relation?: string;
  columns?: Column[];
  /** Models and seeds: bytes of the Parquet files written (or reused). */
  bytes?: number;
  fingerprint?: string;
}

export interface BuildRun {
  /** The run id; failed runs keep their outputs on `run/<id>`. */
  id: string;
  project: string;
  /** The branch built on, and the run branch the outputs were written to. */
  branch: string;
  runBranch: string;
  status: 'success' | 'error';
  /** The commit the build landed as (on the branch when it succeeded, on the run branch if not). */
  commit?: string;
  startedAt: Date;
  completedAt: Date;
  /** The command and its selection, as given (`build --select +orders`). */
  args: { command: string; select: string[]; exclude: string[]; fullRefresh: boolean };
  results: NodeResult[];
}

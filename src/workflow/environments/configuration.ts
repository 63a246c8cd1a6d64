// Which environments there are and how they are configured: staging and production as sluice.yml
// says (or their defaults), whether the repository holds a pipeline project, and staging's build
// selection checked against it. What every environment operation takes is here too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, InvalidConfigError } from '../../common/errors.js';
import { sluiceYmlOf } from '../../common/sluice-yml.js';
import { readYamlText } from '../../common/yaml-file.js';
import { compileProject } from '../../pipeline/graph.js';
import { loadProject } from '../../pipeline/project.js';
import { selectNodes } from '../../pipeline/select.js';
import {
  PRODUCTION_DEFAULTS,
  type ProductionEnvironment,
  STAGING_DEFAULTS,
  type StagingEnvironment,
  type WorkflowConfig,
} from '../config/index.js';
import type { WorkflowRunOptions } from '../run-lifecycle.js';

/** What every environment operation takes for its alerts and progress (the lifecycle's options). */
export interface EnvironmentOptions extends WorkflowRunOptions {}

/** The staging environment as configured, or its defaults when `environments:` does not name it. */
export function stagingOf(config: WorkflowConfig, env = 'staging'): StagingEnvironment {
  if (env !== 'staging')
    throw new InvalidArgumentError(`unknown environment ${env}: promote takes staging`, {
      argument: 'environment',
      reason: 'unknown',
    });
  return config.environments.staging ?? { ...STAGING_DEFAULTS, mask: [] };
}

/** The production environment as configured, or its defaults. */
export function productionOf(config: WorkflowConfig, env = 'production'): ProductionEnvironment {
  if (env !== 'production')
    throw new InvalidArgumentError(
      `unknown environment ${env}: deploy and rollback take production`,
      { argument: 'environment', reason: 'unknown' },
    );
  return (
    config.environments.production ?? {
      ...PRODUCTION_DEFAULTS,
      branches: [...PRODUCTION_DEFAULTS.branches],
    }
  );
}

/**
 * Is `dir` a pipeline project? It has a `models/` folder and a `sluice.yml` with `name:` (or a
 * `dbt_project.yml`): the rule promote (build) and deploy (smoke selection) both use.
 */
export function hasProject(dir: string): boolean {
  if (!existsSync(join(dir, 'models'))) return false;
  if (existsSync(join(dir, 'dbt_project.yml'))) return true;
  const name = sluiceYmlOf(dir);
  if (!name) return false;
  try {
    const y = readYamlText(readFileSync(join(dir, name), 'utf8'), name, () => {
      throw new Error('malformed');
    });
    return typeof (y.value as { name?: unknown } | undefined)?.name === 'string';
  } catch {
    return false; // a malformed sluice.yml is reported by the reader that needs it
  }
}

/**
 * Staging's build selection (`build: {select, exclude}`) as buildProject takes it, each selector
 * checked against the project first: one that names nothing there is a mistake in sluice.yml,
 * and must not quietly build everything — or nothing.
 */
export function stagingBuildNodes(
  repoDir: string,
  st: Pick<StagingEnvironment, 'buildSelect' | 'buildExclude'>,
): { select?: string[]; exclude?: string[] } {
  const nodes = {
    ...(st.buildSelect ? { select: st.buildSelect } : {}),
    ...(st.buildExclude ? { exclude: st.buildExclude } : {}),
  };
  if (!nodes.select && !nodes.exclude) return nodes;
  const graph = compileProject(loadProject(repoDir)).graph;
  for (const key of ['select', 'exclude'] as const) {
    for (const selector of nodes[key] ?? []) {
      try {
        selectNodes(graph, { select: [selector] });
      } catch (err) {
        if (!(err instanceof InvalidArgumentError)) throw err;
        const field = `environments.staging.build.${key}`;
        throw new InvalidConfigError(`sluice.yml: ${field}: ${err.message}`, {
          file: 'sluice.yml',
          field,
          reason: err.message,
        });
      }
    }
  }
  return nodes;
}

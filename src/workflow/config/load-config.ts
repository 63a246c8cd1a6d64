// Reading the workflow configuration: `sluice.yml` (or `sluice.yaml`) and `ingestors/*.yml`, each
// section parsed by its schema (ingestor-schema.ts, environments-schema.ts, alerts-schema.ts,
// schedule-schema.ts) into the typed configuration (types.ts).
//
// Everything is checked once, here: a problem is an InvalidConfigError naming the file, the line
// and the field, and an unknown key is one too (a typo must not silently turn a feature off).
// Absent sections are empty. Environment variables in header values are only checked for syntax
// here; their values are read when a run needs them (resolveHeaders), and are never printed.
//
// Phases, over one `Loading` state: readSluiceYml (its sections: ingestors, environments, alerts,
// schedule) → readIngestorFiles; each ingestor, wherever declared, goes through addIngestor
// (one name, one declaration).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import * as z from 'zod';
import { configFailAt, parseConfig } from '../../common/config-schema.js';
import { InvalidConfigError } from '../../common/errors.js';
import { checkSluiceYmlSections, sluiceYmlOf } from '../../common/sluice-yml.js';
import { formatField, readYamlText, type YamlFile } from '../../common/yaml-file.js';
import { alertSchema, toAlertConfig } from './alerts-schema.js';
import { environmentsSchema, toEnvironments } from './environments-schema.js';
import { ingestorSchema, toIngestor } from './ingestor-schema.js';
import { scheduleSchema, toScheduleConfig } from './schedule-schema.js';
import type { ConfigOrigin, Ingestor, WorkflowConfig } from './types.js';

type Path = (string | number)[];

function configError(file: string, line: number, field: string, reason: string): never {
  return configFailAt(file)(line, field, reason);
}

function readYamlFile(repoDir: string, abs: string): YamlFile {
  const file = relative(repoDir, abs).split(sep).join('/');
  return readYamlText(readFileSync(abs, 'utf8'), file, (line, field, reason) =>
    configError(file, line, field, reason),
  );
}

/** Parses `value` (found at `base` in `y`); the first problem is an InvalidConfigError. */
function parseIn<S extends z.ZodType>(
  schema: S,
  y: YamlFile,
  value: unknown,
  base: Path,
): z.output<S> {
  return parseConfig(schema, y, value, base, (line, field, reason) =>
    configError(y.file, line, field, reason),
  );
}

// ---- loading -----------------------------------------------------------------------------

const SECTIONS = ['ingestors', 'environments', 'alerts', 'schedule'] as const;

/** What the phases of one read share: the configuration so far and the ingestors declared. */
interface Loading {
  root: string;
  config: WorkflowConfig;
  schema: ReturnType<typeof ingestorSchema>;
  /** Where each ingestor name was first declared. */
  ingestorSeen: Map<string, ConfigOrigin>;
}

/**
 * Reads the workflow configuration of the repository in `repoDir`: `sluice.yml` (or
 * `sluice.yaml`) and `ingestors/*.yml`. Nothing at all is an empty configuration.
 */
export function loadWorkflowConfig(repoDir: string): WorkflowConfig {
  const root = resolve(repoDir);
  const l: Loading = {
    root,
    config: {
      ingestors: [],
      environments: {},
      alerts: [],
      schedule: { builds: [] },
      files: [],
    },
    schema: ingestorSchema(root),
    ingestorSeen: new Map(),
  };
  readSluiceYml(l);
  readIngestorFiles(l);
  return l.config;
}

/** One ingestor, found at `path` in `y`; a name declared twice is refused. */
function addIngestor(l: Loading, y: YamlFile, raw: unknown, path: Path): void {
  const parsed = parseIn(l.schema, y, raw, path);
  const origin = { file: y.file, line: y.lineAt(path) };
  const first = l.ingestorSeen.get(parsed.name);
  if (first)
    configError(
      y.file,
      y.lineAt([...path, 'name']),
      formatField([...path, 'name']),
      `ingestor ${parsed.name} is already declared at ${first.file}:${first.line}`,
    );
  l.ingestorSeen.set(parsed.name, origin);
  l.config.ingestors.push(toIngestor(parsed, origin));
}

/** `sluice.yml` (or `sluice.yaml`), when there is one: its workflow sections. */
function readSluiceYml(l: Loading): void {
  const name = sluiceYmlOf(l.root);
  if (!name) return;
  const y = readYamlFile(l.root, join(l.root, name));
  l.config.files.push(y.file);
  checkSluiceYmlSections(y, (line, field, reason) => configError(y.file, line, field, reason));
  const sections = (y.value ?? {}) as Record<string, unknown>;
  const present = (k: (typeof SECTIONS)[number]) =>
    sections[k] !== undefined && sections[k] !== null;
  if (present('ingestors')) readIngestorsSection(l, y, sections.ingestors);
  if (present('environments'))
    l.config.environments = toEnvironments(
      parseIn(environmentsSchema, y, sections.environments, ['environments']),
    );
  if (present('alerts')) readAlertsSection(l, y, sections.alerts);
  if (present('schedule'))
    l.config.schedule = toScheduleConfig(
      parseIn(scheduleSchema, y, sections.schedule, ['schedule']),
    );
}

/** `ingestors:` in sluice.yml: a list. */
function readIngestorsSection(l: Loading, y: YamlFile, value: unknown): void {
  if (!Array.isArray(value))
    configError(y.file, y.lineAt(['ingestors']), 'ingestors', 'expected a list of ingestors');
  for (let i = 0; i < value.length; i++) addIngestor(l, y, value[i], ['ingestors', i]);
}

/** `alerts:`: the sinks, each name once. */
function readAlertsSection(l: Loading, y: YamlFile, value: unknown): void {
  const alerts = parseIn(z.array(alertSchema), y, value, ['alerts']);
  const seen = new Map<string, number>();
  alerts.forEach((a, i) => {
    const line = y.lineAt(['alerts', i]);
    const first = seen.get(a.name);
    if (first !== undefined)
      configError(
        y.file,
        y.lineAt(['alerts', i, 'name']),
        `alerts[${i}].name`,
        `alert ${a.name} is already declared at line ${first}`,
      );
    seen.set(a.name, line);
    l.config.alerts.push(toAlertConfig(a, { file: y.file, line }));
  });
}

/** `ingestors/*.yml`, in name order: one ingestor (a mapping) or a list of them each. */
function readIngestorFiles(l: Loading): void {
  const dir = join(l.root, 'ingestors');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return;
  const names = readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f) && !f.startsWith('.'))
    .sort();
  for (const name of names) {
    const y = readYamlFile(l.root, join(dir, name));
    l.config.files.push(y.file);
    if (y.value === undefined || y.value === null) continue;
    if (Array.isArray(y.value)) {
      for (let i = 0; i < y.value.length; i++) addIngestor(l, y, y.value[i], [i]);
    } else if (typeof y.value === 'object') addIngestor(l, y, y.value, []);
    else configError(y.file, 1, '', 'expected an ingestor (a mapping) or a list of them');
  }
}

/** The ingestor called `name`; an InvalidConfigError listing the declared ones otherwise. */
export function findIngestor(config: WorkflowConfig, name: string): Ingestor {
  const found = config.ingestors.find((i) => i.name === name);
  if (found) return found;
  const known = config.ingestors.map((i) => i.name);
  const file = config.files[0] ?? 'sluice.yml';
  throw new InvalidConfigError(
    `no ingestor ${JSON.stringify(name)} in ${config.files.join(', ') || 'sluice.yml or ingestors/*.yml'}` +
      (known.length ? ` (declared: ${known.join(', ')})` : ' (none is declared)'),
    { file, reason: 'unknown ingestor', field: 'ingestors' },
  );
}

/** Where an ingestor or alert was declared, for run-time messages: `sluice.yml:12: ingestor orders`. */
export function describeOrigin(
  kind: 'ingestor' | 'alert',
  item: { name: string; origin: ConfigOrigin },
): string {
  return `${item.origin.file}:${item.origin.line}: ${kind} ${item.name}`;
}

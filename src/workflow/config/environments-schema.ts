// `environments:` in `sluice.yml`: staging (its source, sampling, masking, which nodes its build
// runs) and production (its source, two colours, the alias readers use, the smoke selector).
import * as z from 'zod';
import { aliasName, branchName, tableName } from './fields.js';
import type { EnvironmentsConfig } from './types.js';

const nullIsEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null ? {} : v), schema);

/** Node selectors as `sluice build --select` takes them: one string (space-separated) or a list. */
const selectors = z.union([
  z
    .string()
    .trim()
    .min(1, 'a selector')
    .transform((s) => [s]),
  z.array(z.string().trim().min(1, 'a selector')).min(1, 'at least one selector'),
]);

const MASK_KEY = /^([A-Za-z_][A-Za-z0-9_]{0,127})\.(.+)$/;
const stagingSchema = z
  .strictObject({
    from: branchName.default('main'),
    branch: branchName.default('staging'),
    build: z
      .union(
        [
          z.boolean(),
          z.strictObject({ select: selectors.optional(), exclude: selectors.optional() }),
        ],
        {
          error: 'true, false or {select: …, exclude: …}',
        },
      )
      .default(true),
    sample: z
      .strictObject({
        fraction: z
          .number()
          .gt(0, 'a fraction: 0 < fraction ≤ 1')
          .lte(1, 'a fraction: 0 < fraction ≤ 1'),
        seed: z.int().default(0),
        tables: z.array(tableName).min(1).optional(),
      })
      .optional(),
    mask: z
      .record(
        z.string().regex(MASK_KEY, 'a "table.column" name'),
        z.enum(['hash', 'redact'], { error: 'hash or redact' }),
      )
      .default({}),
  })
  .superRefine((s, ctx) => {
    if (s.branch === s.from)
      ctx.addIssue({
        code: 'custom',
        path: ['branch'],
        message: `staging cannot be its own source branch (${s.from})`,
      });
  });

const productionSchema = z
  .strictObject({
    from: branchName.default('staging'),
    branches: z
      .tuple([branchName, branchName], { error: 'two branches: [blue, green]' })
      .default(['production-blue', 'production-green']),
    alias: aliasName.default('production'),
    smoke: z.strictObject({ select: z.string().trim().min(1) }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.branches[0] === p.branches[1])
      ctx.addIssue({ code: 'custom', path: ['branches'], message: 'the two colours must differ' });
    if (p.branches.includes(p.alias))
      ctx.addIssue({
        code: 'custom',
        path: ['alias'],
        message: `the alias cannot be one of its branches (${p.alias})`,
      });
    if (p.branches.includes(p.from))
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `production cannot deploy from one of its own colours (${p.from})`,
      });
  });

export const environmentsSchema = z.strictObject({
  staging: nullIsEmpty(stagingSchema).optional(),
  production: nullIsEmpty(productionSchema).optional(),
});

/** The parsed section as the typed configuration (camelCase, mask rules as a list). */
export function toEnvironments(e: z.output<typeof environmentsSchema>): EnvironmentsConfig {
  const out: EnvironmentsConfig = {};
  if (e.staging) {
    out.staging = {
      from: e.staging.from,
      branch: e.staging.branch,
      build: e.staging.build !== false,
      ...(typeof e.staging.build === 'object' && e.staging.build.select
        ? { buildSelect: e.staging.build.select }
        : {}),
      ...(typeof e.staging.build === 'object' && e.staging.build.exclude
        ? { buildExclude: e.staging.build.exclude }
        : {}),
      ...(e.staging.sample ? { sample: e.staging.sample } : {}),
      mask: Object.entries(e.staging.mask).map(([k, method]) => {
        const [, table, column] = MASK_KEY.exec(k) as RegExpExecArray;
        return { table: table as string, column: column as string, method };
      }),
    };
  }
  if (e.production) {
    out.production = {
      from: e.production.from,
      branches: e.production.branches,
      alias: e.production.alias,
      ...(e.production.smoke ? { smoke: e.production.smoke } : {}),
    };
  }
  return out;
}

// `schedule:` in `sluice.yml`: project builds run on a cron, each on its branch with an optional
// node selector (an ingestor's own schedule is its `schedule:` field).
import * as z from 'zod';
import { branchName, cron } from './fields.js';
import type { ScheduleConfig } from './types.js';

export const scheduleSchema = z.strictObject({
  builds: z
    .array(
      z.strictObject({
        cron,
        branch: branchName.optional(),
        select: z.string().trim().min(1).optional(),
      }),
    )
    .default([]),
});

/** The parsed section as the typed configuration. */
export function toScheduleConfig(s: z.output<typeof scheduleSchema>): ScheduleConfig {
  return {
    builds: s.builds.map((b) => ({
      cron: b.cron,
      ...(b.branch !== undefined ? { branch: b.branch } : {}),
      ...(b.select !== undefined ? { select: b.select } : {}),
    })),
  };
}

// Policies: IAM-style statements over actions and resources. A statement allows or denies its
// actions on its resources, optionally only when a condition holds (the branch is protected or
// not; the merge's source matches a pattern). Validated once here (zod); evaluation is
// authorize.ts.
import * as z from 'zod';
import { InvalidArgumentError } from '../common/errors.js';
import { isActionPattern } from './actions.js';

export const StatementSchema = z
  .object({
    effect: z.enum(['allow', 'deny']),
    action: z.array(z.string().refine(isActionPattern, { message: 'unknown action' })).min(1),
    /** `*`, `repository`, `repository/branch-pattern` (`*` matches any characters). */
    resource: z.array(z.string().min(1)).min(1),
    condition: z
      .object({
        /** Only when the branch is (true) or is not (false) protected by the repository's rules. */
        protected: z.boolean().optional(),
        /** Only merges whose source branch matches one of these patterns. */
        source: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Statement = z.infer<typeof StatementSchema>;

export const PolicyDocumentSchema = z
  .object({ statements: z.array(StatementSchema).min(1) })
  .strict();
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

export interface Policy {
  name: string;
  statements: Statement[];
}

/** Parses a policy document (JSON text or a value); InvalidArgumentError names what is wrong. */
export function parsePolicyDocument(input: unknown, name = 'policy'): PolicyDocument {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new InvalidArgumentError(`${name}: not JSON: ${(err as Error).message}`, {
        argument: name,
        reason: 'not JSON',
      });
    }
  }
  const parsed = PolicyDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new InvalidArgumentError(`${name}: ${where}: ${issue?.message}`, {
      argument: name,
      reason: `${where}: ${issue?.message}`,
    });
  }
  return parsed.data;
}

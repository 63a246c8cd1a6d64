// The fields of an outgoing HTTP call that a configuration file names — an http(s) URL and
// header values, each of which may hold `${NAME}` references to environment variables (resolved
// when the call is made: common/env-refs.ts) — as zod schemas whose messages say what is expected.
// Shared by the workflow's sections (ingestors, alerts) and the gates' webhooks.
import * as z from 'zod';
import { envRefProblems, replaceEnvRefs } from './env-refs.js';

/** A header value: text with `${NAME}` references to environment variables. */
const headerValue = z.string().superRefine((s, ctx) => {
  for (const message of envRefProblems(s)) ctx.addIssue({ code: 'custom', message });
});
const HTTP_URL = z.url({ protocol: /^https?$/ });
/**
 * An http(s) URL, which may hold `${NAME}` references (a Slack webhook URL is itself the secret):
 * checked as a URL with each reference standing in as text, unless one stands for its start.
 */
export const httpUrl = z
  .string()
  .min(1, 'an http:// or https:// URL')
  .superRefine((s, ctx) => {
    const problems = envRefProblems(s);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    if (problems.length > 0 || /^\$\{/.test(s)) return;
    if (!HTTP_URL.safeParse(replaceEnvRefs(s, 'x')).success)
      ctx.addIssue({ code: 'custom', message: 'an http:// or https:// URL' });
  });
export const headers = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'a header name'),
  headerValue,
);

// The quickstart's story, step by step: what it says, which `sluice` commands it runs and which
// exit code each must give. quickstart.ts runs the commands and prints them; the shop API
// (shop-api.ts) serves what shop-data.ts says the shop holds at each tick.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShopApi } from './shop-api.js';

/** What the story needs from whoever plays it. */
export interface Player {
  /** The repository directory (empty, or not there yet). */
  dir: string;
  /** The example project copied into it. */
  example: string;
  api: ShopApi;
  /** Narration (human output only). */
  say(text: string): void;
  /** Runs `sluice ARGS` in DIR and shows it; any exit code but `expected` (default 0) throws. */
  step(args: string[], expected?: number): Promise<void>;
  /** Moves the shop API to the state of tick `n`. */
  serveTick(n: number): void;
  /** The run branch of the ingestor's latest load. */
  lastLoadBranch(ingestor: string): Promise<string>;
}

const REFUSED = 2;

/** `arg` as a POSIX shell would need it to be typed. */
export const shellQuote = (arg: string): string =>
  /^[\w./:=@~^+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

/** The workflow sections appended to the example project's sluice.yml. */
export const workflowYaml = (api: ShopApi): string => `
# The workflow (docs/workflows.md): two ingestors load the raw tables the project reads, and
# data goes main → staging → production.
ingestors:
  - name: orders
    kind: rest
    url: ${api.ordersUrl}
    records: $.data
    pagination: {type: page, param: page, size_param: per_page, size: 25}
    table: raw_orders
    mode: upsert                  # the API lists every order: one row per id, updated in place
    key: [id]
  - name: customers
    kind: rest
    url: ${api.customersUrl}
    records: $.customers
    pagination: {type: cursor, param: after, next: $.next}
    table: raw_customers
    mode: overwrite               # the whole customer list, each time
environments:
  staging:
    build: {exclude: [raw_orders, raw_customers]}   # the ingestors load these, not the seeds
    mask: {raw_customers.email: redact}             # no personal data on staging
  production:
    smoke: {select: "+exposure:weekly_revenue"}     # the tests of all the dashboard reads
alerts:
  - {name: on-call, kind: webhook, url: "${api.hookUrl}", on: [failures, rollback]}
`;

/** The checks every load runs on its branch before it may merge into main. */
export const RAW_CHECKS = `version: 2
models:
  - name: raw_orders
    columns:
      - name: id
        tests: [not_null, unique]
      - name: customer_id
        tests: [not_null]
      - name: status
        tests:
          - accepted_values: {values: [placed, shipped, completed, return_pending, returned]}
  - name: raw_customers
    columns:
      - name: id
        tests: [not_null, unique]
      - name: email
        tests: [not_null]
`;

const indent = (text: string): string =>
  text
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

/** Production's orders dated after today: what the dashboard shows after tick 4. */
const FUTURE_ORDERS =
  'SELECT order_id, customer_id, order_date, status FROM orders WHERE order_date > current_date ORDER BY order_id';

export async function playStory(p: Player): Promise<void> {
  const { dir, api, say, step } = p;

  /** The API moves to tick `n` and both ingestors load it. */
  const tick = async (n: number, story: string, ordersExit = 0): Promise<void> => {
    p.serveTick(n);
    say(`\n# Tick ${n}: ${story}`);
    await step(['load', 'orders'], ordersExit);
    if (ordersExit !== 0) {
      const branch = await p.lastLoadBranch('orders');
      say(`\n# The batch stays on ${branch} for a human to inspect; main never had it:`);
      await step([
        'sql',
        '--ref',
        branch,
        'SELECT id, customer_id, order_date, status FROM raw_orders WHERE customer_id IS NULL ORDER BY id',
      ]);
      await step([
        'sql',
        'SELECT count(*) AS orders, count(*) FILTER (WHERE customer_id IS NULL) AS without_customer FROM raw_orders',
      ]);
    }
    await step(['load', 'customers']);
  };

  say(`Sluice quickstart: the workflow story, in ${dir}`);
  say(
    `A small shop API (orders, customers) runs on ${api.url} while it plays, with an on-call\nwebhook at ${api.hookUrl}.`,
  );
  await step(['init', dir]);
  cpSync(join(p.example, 'models'), join(dir, 'models'), { recursive: true });
  cpSync(join(p.example, 'seeds'), join(dir, 'seeds'), { recursive: true });
  const yml = workflowYaml(api);
  const project = readFileSync(join(p.example, 'sluice.yml'), 'utf8').trimEnd();
  writeFileSync(join(dir, 'sluice.yml'), `${project}\n${yml}`);
  mkdirSync(join(dir, 'checks'), { recursive: true });
  writeFileSync(join(dir, 'checks', 'raw.yml'), RAW_CHECKS);
  say(
    `\n# Copied the example project ${p.example} (models/, seeds/, sluice.yml) into ${dir}.
# It builds staging models and marts from the tables raw_orders, raw_customers and
# raw_payments. Its sluice.yml now also says how data arrives and where it goes:
${indent(yml)}

# and checks/raw.yml holds the checks a load must pass before it merges into main:
${indent(RAW_CHECKS)}`,
  );
  say(`\n# From here on, the commands run in ${dir} (cd there, or add --repo ${shellQuote(dir)}).`);

  await tick(
    1,
    `the ingestors pull the API, as \`sluice schedule\` would every few minutes.
# Each load writes to its own branch ingest/<name>/<run>, runs the checks there, and merges
# into main only if they pass.`,
  );
  await tick(2, 'more orders and customers.');
  await tick(3, 'the API sends four new orders without a customer_id.', REFUSED);

  say(`
# Promote main to staging. On a candidate branch: emails redacted, the project built
# (without its seeds raw_orders and raw_customers: the ingestors load those tables), every
# test and check run. Only when all pass does staging move.`);
  await step(['promote', 'staging']);
  await step([
    'sql',
    '--ref',
    'staging',
    'SELECT customer_id, first_name, number_of_orders, customer_lifetime_value FROM customers ORDER BY customer_lifetime_value DESC, customer_id LIMIT 3',
  ]);
  await step([
    'sql',
    '--ref',
    'staging',
    'SELECT id, first_name, email FROM raw_customers ORDER BY id LIMIT 2',
  ]);

  say(`
# Deploy to production, blue/green. Staging's emails are redacted, so production takes the
# main commit staging was promoted from and builds the project on it, on the idle colour;
# the smoke checks run there; then the alias \`production\` flips to it. Readers use it.`);
  await step(['deploy', 'production']);

  await tick(
    4,
    `orders 81–84 come back with their customers, but four new ones are dated 2034
# (a clock bug upstream). No check looks at dates: they pass, staging builds, the deploy
# goes live.`,
  );
  await step(['promote', 'staging']);
  await step(['deploy', 'production']);

  say('\n# The weekly_revenue dashboard reads production. It now shows orders from the future:');
  await step(['sql', '--ref', 'production', FUTURE_ORDERS]);
  say(`
# Roll back: the alias flips back to the previous deploy's exact commit — one metadata
# write, whatever the size of the data.`);
  await step(['rollback', 'production']);
  await step(['env', 'status']);
  await step(['sql', '--ref', 'production', FUTURE_ORDERS]);

  await tick(
    5,
    `the dates are fixed upstream, but customer 34 is Mia Schulz signing up a second
# time, with the email of customer 31.`,
  );
  say(`
# Staging redacts emails, so the project's test unique(email) on stg_customers has nothing
# to compare there, and passes:`);
  await step(['promote', 'staging']);
  say(`
# Production builds on the real data, on the idle colour, before any flip. The test fails
# there, and production stays where it was:`);
  await step(['deploy', 'production'], REFUSED);
  say(`
# unique(email) on stg_customers caught the duplicate, and the models after it were not
# built. The candidate stays on the idle colour for inspection; production is still blue:`);
  await step(['env', 'status']);

  await tick(6, 'the duplicate customer is merged away upstream; one more order arrives.');
  await step(['promote', 'staging']);
  await step(['deploy', 'production']);

  say('\n# The outcome metrics, computed from the event log alone:');
  await step(['metrics']);
  await step(['events', '--type', 'deploy,rollback']);
}

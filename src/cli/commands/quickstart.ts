// `sluice quickstart [DIR]`: the README's first command. Plays the versioning story on a fresh
// embedded repository, printing each step as the `sluice …` command line it runs and its output.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../index.js';
import { EXIT_CONFLICT, EXIT_OK } from '../errors.js';
import type { Io } from '../output.js';
import type { Runner } from '../runner.js';

/** Runs the CLI in-process: `main` without the node/script prefix. */
export type Sluice = (args: string[], io: Io) => Promise<number>;

const DEFAULT_DIR = './sluice-quickstart';

function csv(header: string, rows: (string | number)[][]): string {
  return `${[header, ...rows.map((r) => r.join(','))].join('\n')}\n`;
}

const orders = (n: number): (string | number)[][] =>
  Array.from({ length: n }, (_, i) => [
    1000 + i,
    `C${(i % 3) + 1}`,
    `P${(i % 4) + 1}`,
    (i % 5) + 1,
    `2024-0${(i % 5) + 1}-1${i % 10}`,
  ]);

const FILES = {
  orders: csv('order_id,customer_id,product_id,quantity,ordered_at', orders(12)),
  customers: csv('customer_id,name,email', [
    ['C1', 'Ada', 'ada@example.com'],
    ['C2', 'Grace', 'grace@example.com'],
    ['C3', 'Edsger', 'edsger@example.com'],
  ]),
  products: csv('product_id,name,price', [
    ['P1', 'widget', 2.5],
    ['P2', 'gadget', 10],
    ['P3', 'gizmo', 7.25],
    ['P4', 'doohickey', 1],
  ]),
  ordersV2: csv('order_id,customer_id,product_id,quantity,ordered_at', orders(20)),
  returns: csv('order_id,reason', [
    [1003, 'damaged'],
    [1007, 'wrong size'],
  ]),
  customersFixed: csv('customer_id,name,email', [
    ['C1', 'Ada', 'ada@example.org'],
    ['C2', 'Grace', 'grace@example.org'],
    ['C3', 'Edsger', 'edsger@example.org'],
  ]),
  orderFixes: csv('order_id,customer_id,product_id,quantity,ordered_at', [
    [1002, 'C3', 'P3', 30, '2024-03-12'],
    [1005, 'C3', 'P2', 10, '2024-01-15'],
  ]),
  customersMore: csv('customer_id,name,email', [
    ['C1', 'Ada', 'ada@example.com'],
    ['C2', 'Grace', 'grace@example.com'],
    ['C3', 'Edsger', 'edsger@example.com'],
    ['C4', 'Barbara', 'barbara@example.com'],
  ]),
};

const quote = (arg: string): string =>
  /^[\w./:=@~^-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export function register(program: Command, runner: Runner, sluice: Sluice): void {
  program
    .command('quickstart')
    .description(
      'create a demo repository in DIR and walk through branching, merging, conflicts, revert, tables and SQL',
    )
    .argument('[dir]', 'directory to create (must not exist or be empty)', DEFAULT_DIR)
    .action(
      runner.action(async (ctx, dir: string) => {
        const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return [];
          throw err;
        });
        if (existing.length > 0) {
          throw new InvalidArgumentError(
            `${dir} exists and is not empty; choose another directory`,
            {
              argument: 'DIR',
              reason: 'not empty',
            },
          );
        }
        const json = ctx.globals.json;
        const out = ctx.io.stdout;
        const steps: { command: string; exitCode: number; output: unknown }[] = [];
        const say = (text: string): void => {
          if (!json) out.write(`${text}\n`);
        };
        const step = async (args: string[], expected = EXIT_OK): Promise<void> => {
          const command = `sluice ${args.map(quote).join(' ')}`;
          say(`\n$ ${command}`);
          let code: number;
          if (json) {
            const capture = new Capture();
            code = await sluice(['--json', ...args], { stdout: capture, stderr: ctx.io.stderr });
            let output: unknown = capture.text;
            try {
              output = JSON.parse(capture.text);
            } catch {
              // keep the text
            }
            steps.push({ command, exitCode: code, output });
          } else {
            code = await sluice(args, { stdout: out, stderr: out });
          }
          if (code !== expected) {
            throw new Error(
              `quickstart step failed: \`${command}\` exited ${code} (expected ${expected})`,
            );
          }
        };
        const file = async (name: string, content: string): Promise<string> => {
          const path = join(dir, 'incoming', name);
          await mkdir(join(dir, 'incoming'), { recursive: true });
          await writeFile(path, content);
          return path;
        };
        const repo = ['--repo', dir];

        say(`# Sluice quickstart: a repository in ${dir} with a few CSV files`);
        await step(['init', dir]);
        await file('orders.csv', FILES.orders);
        await file('customers.csv', FILES.customers);
        await file('products.csv', FILES.products);
        say(`\n# wrote orders.csv, customers.csv and products.csv to ${join(dir, 'incoming')}`);
        await step([...repo, 'put', join(dir, 'incoming'), 'raw/']);
        await step([...repo, 'commit', '-m', 'Load raw orders, customers and products']);
        await step([...repo, 'ls', '-r']);

        say('\n# Work on a branch: a zero-copy snapshot of main');
        await step([...repo, 'branch', 'create', 'feature']);
        const ordersV2 = await file('orders-2024-05.csv', FILES.ordersV2);
        const returns = await file('returns.csv', FILES.returns);
        await step([...repo, 'put', ordersV2, 'raw/orders.csv', '-b', 'feature']);
        await step([...repo, 'put', returns, 'raw/returns.csv', '-b', 'feature']);
        await step([...repo, 'rm', 'raw/products.csv', '-b', 'feature']);
        await step([...repo, 'status', '-b', 'feature']);
        await step([
          ...repo,
          'commit',
          '-m',
          'Add May orders and returns; drop products',
          '-b',
          'feature',
        ]);
        await step([...repo, 'diff', 'main', 'feature']);
        await step([...repo, 'merge', 'feature', '--into', 'main']);
        await step([...repo, 'tag', 'create', 'v1', 'main']);

        say('\n# The same file changed differently on both sides is a conflict');
        const fixed = await file('customers-fixed.csv', FILES.customersFixed);
        const more = await file('customers-more.csv', FILES.customersMore);
        await step([...repo, 'put', fixed, 'raw/customers.csv', '-b', 'feature']);
        await step([...repo, 'commit', '-m', 'Fix customer email domains', '-b', 'feature']);
        await step([...repo, 'put', more, 'raw/customers.csv']);
        await step([...repo, 'commit', '-m', 'Add customer C4']);
        await step([...repo, 'merge', 'feature', '--into', 'main'], EXIT_CONFLICT);

        say("\n# Revert main's change, then the merge goes through");
        await step([...repo, 'revert', 'main']);
        await step([...repo, 'merge', 'feature', '--into', 'main', '-m', 'Merge customer fixes']);
        await step([...repo, 'log', '--oneline']);
        await step([...repo, 'show', 'v1']);

        say('\n# Tables: load the CSV into a Parquet table and query it with SQL');
        const ordersCsv = join(dir, 'incoming', 'orders.csv');
        await step([
          ...repo,
          'ingest',
          ordersCsv,
          '--table',
          'orders',
          '--key',
          'order_id',
          '-m',
          'Load orders table',
        ]);
        await step([
          ...repo,
          'sql',
          'SELECT customer_id, count(*) AS orders, sum(quantity) AS units FROM orders GROUP BY 1 ORDER BY 1',
        ]);
        await step([...repo, 'tag', 'create', 'orders-v1', 'main']);

        say('\n# Correct two orders on a branch (upsert by key), compare, merge');
        const fixes = await file('order-fixes.csv', FILES.orderFixes);
        await step([...repo, 'branch', 'create', 'fix-orders']);
        await step([
          ...repo,
          'ingest',
          fixes,
          '--table',
          'orders',
          '--mode',
          'upsert',
          '-b',
          'fix-orders',
          '-m',
          'Fix quantities',
        ]);
        await step([...repo, 'table', 'diff', 'orders', 'main', 'fix-orders']);
        await step([
          ...repo,
          'sql',
          'SELECT m.order_id, m.quantity AS on_main, f.quantity AS on_branch FROM main.orders m JOIN fix_orders.orders f USING (order_id) WHERE m.quantity <> f.quantity',
          '--ref',
          'main',
          '--ref',
          'fix-orders',
        ]);
        await step([...repo, 'merge', 'fix-orders', '--into', 'main']);
        say('\n# Time travel: the table as it was at the tag');
        await step([
          ...repo,
          'sql',
          'SELECT sum(quantity) AS units FROM orders',
          '--ref',
          'orders-v1',
        ]);
        await step([...repo, 'sql', 'SELECT sum(quantity) AS units FROM orders']);
        await step([...repo, 'fsck']);

        const done = `Repository ready at ${dir}; try: sluice --repo ${quote(dir)} log`;
        ctx.out.result({ quickstart: { dir, steps } }, () => say(`\n${done}`));
        return EXIT_OK;
      }),
    );
}

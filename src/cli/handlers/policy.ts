// `sluice policy create NAME --file F|-`, `policy list | show | delete`, `policy attach | detach
// NAME (--user U | --group G)`: IAM-style permission policies (docs/server.md). A document is
// validated whole before it is stored; built-in policies cannot be changed or deleted.
import { readFileSync } from 'node:fs';
import type { PolicyInfo } from '../../auth/index.js';
import { identitiesFor, principalOf, readAll } from '../identities.js';
import { fileError } from '../local-files.js';
import type { CommandContext } from '../runner.js';

async function readDocument(ctx: CommandContext, file: string): Promise<string> {
  if (file === '-') return readAll(ctx.io.stdin ?? process.stdin);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError(err, file);
  }
}

export async function create(
  ctx: CommandContext,
  name: string,
  opts: { file: string },
): Promise<number> {
  const text = await readDocument(ctx, opts.file);
  const p = await (await identitiesFor(ctx)).putPolicy(name, text);
  ctx.out.result({ policy: policyJson(p) }, () => {
    ctx.out.note(`stored policy ${p.name} (${p.statements.length} statements)`);
    ctx.out.note(`next: sluice policy attach ${p.name} --group GROUP`);
  });
  return 0;
}

export async function list(ctx: CommandContext): Promise<number> {
  const policies = await (await identitiesFor(ctx)).listPolicies();
  ctx.out.result({ policies: policies.map(policyJson) }, () => {
    if (policies.length === 0) {
      ctx.out.note('no policies (sluice auth bootstrap creates the built-in ones)');
      return;
    }
    ctx.out.table([
      ['NAME', 'BUILTIN', 'STATEMENTS'],
      ...policies.map((p) => [p.name, p.builtin ? 'yes' : 'no', String(p.statements.length)]),
    ]);
  });
  return 0;
}

export async function show(ctx: CommandContext, name: string): Promise<number> {
  const p = await (await identitiesFor(ctx)).getPolicy(name);
  ctx.out.result({ policy: policyJson(p) }, () =>
    ctx.out.block(JSON.stringify({ statements: p.statements }, null, 2)),
  );
  return 0;
}

export async function remove(ctx: CommandContext, name: string): Promise<number> {
  await (await identitiesFor(ctx)).deletePolicy(name);
  ctx.out.result({ deleted: { policy: name } }, () => ctx.out.note(`deleted policy ${name}`));
  return 0;
}

export async function attach(
  ctx: CommandContext,
  name: string,
  opts: { user?: string; group?: string },
): Promise<number> {
  const to = principalOf(opts);
  await (await identitiesFor(ctx)).attachPolicy(name, to);
  ctx.out.result({ attached: { policy: name, [to.kind]: to.name } }, () =>
    ctx.out.note(`attached ${name} to ${to.kind} ${to.name}`),
  );
  return 0;
}

export async function detach(
  ctx: CommandContext,
  name: string,
  opts: { user?: string; group?: string },
): Promise<number> {
  const from = principalOf(opts);
  const detached = await (await identitiesFor(ctx)).detachPolicy(name, from);
  ctx.out.result(
    { detached: { policy: name, [from.kind]: from.name, wasAttached: detached } },
    () =>
      ctx.out.note(
        detached
          ? `detached ${name} from ${from.kind} ${from.name}`
          : `${name} was not attached to ${from.kind} ${from.name}`,
      ),
  );
  return 0;
}

function policyJson(p: PolicyInfo): Record<string, unknown> {
  return {
    name: p.name,
    builtin: p.builtin,
    createdAt: p.createdAt.toISOString(),
    statements: p.statements,
  };
}

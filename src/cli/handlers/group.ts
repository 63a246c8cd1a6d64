// `sluice group create | list | delete | add-member | remove-member`: groups of users, each
// with the policies attached to it. The built-in groups (Admins, Developers, Viewers,
// Ingestors, Deployers) exist after `sluice auth bootstrap` and cannot be deleted.
import type { GroupInfo } from '../../auth/index.js';
import { identitiesFor } from '../identities.js';
import type { CommandContext } from '../runner.js';

export async function create(ctx: CommandContext, name: string): Promise<number> {
  const g = await (await identitiesFor(ctx)).createGroup(name);
  ctx.out.result({ group: groupJson(g) }, () => {
    ctx.out.note(`created group ${g.name}`);
    ctx.out.note(`next: sluice policy attach POLICY --group ${g.name}`);
  });
  return 0;
}

export async function list(ctx: CommandContext): Promise<number> {
  const groups = await (await identitiesFor(ctx)).listGroups();
  ctx.out.result({ groups: groups.map(groupJson) }, () => {
    if (groups.length === 0) {
      ctx.out.note('no groups (sluice auth bootstrap creates the built-in ones)');
      return;
    }
    ctx.out.table([
      ['NAME', 'BUILTIN', 'MEMBERS'],
      ...groups.map((g) => [g.name, g.builtin ? 'yes' : 'no', g.members.join(',') || '-']),
    ]);
  });
  return 0;
}

export async function remove(ctx: CommandContext, name: string): Promise<number> {
  await (await identitiesFor(ctx)).deleteGroup(name);
  ctx.out.result({ deleted: { group: name } }, () => ctx.out.note(`deleted group ${name}`));
  return 0;
}

export async function addMember(ctx: CommandContext, group: string, user: string): Promise<number> {
  await (await identitiesFor(ctx)).addMember(group, user);
  ctx.out.result({ added: { group, user } }, () => ctx.out.note(`added ${user} to ${group}`));
  return 0;
}

export async function removeMember(
  ctx: CommandContext,
  group: string,
  user: string,
): Promise<number> {
  const removed = await (await identitiesFor(ctx)).removeMember(group, user);
  ctx.out.result({ removed: { group, user, wasMember: removed } }, () =>
    ctx.out.note(removed ? `removed ${user} from ${group}` : `${user} was not in ${group}`),
  );
  return 0;
}

function groupJson(g: GroupInfo): Record<string, unknown> {
  return {
    name: g.name,
    builtin: g.builtin,
    members: g.members,
    createdAt: g.createdAt.toISOString(),
  };
}

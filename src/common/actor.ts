// Who is acting, for the length of one call: the server runs each request as its authenticated
// user, so commits name that user as committer and events as actor, while one repository handle
// serves every request. Outside `actingAs` (the CLI, a library caller) nothing is set and each
// layer uses its own default (the committer given at open, $SLUICE_ACTOR, the OS user).
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<string>();

/** Runs `fn` with `actor` as the one acting (nested calls see it too). */
export function actingAs<T>(actor: string, fn: () => T): T {
  return current.run(actor, fn);
}

/** The actor set by the innermost `actingAs`, if any. */
export function currentActor(): string | undefined {
  return current.getStore();
}

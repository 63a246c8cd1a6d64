// `true` when a zod schema's output and its hand-written shape are the same type, `never`
// otherwise: each wire-*-schemas.ts lists its pairs so a change to one side alone fails to compile.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

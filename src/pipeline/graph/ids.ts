// dbt's unique ids of the graph's nodes: `model.<project>.<name>`, `seed.…`, `test.…`,
// `source.<project>.<source>.<table>`, `exposure.…`.
export const idOf = {
  model: (p: string, n: string) => `model.${p}.${n}`,
  seed: (p: string, n: string) => `seed.${p}.${n}`,
  test: (p: string, id: string) => `test.${p}.${id}`,
  source: (p: string, s: string, t: string) => `source.${p}.${s}.${t}`,
  exposure: (p: string, n: string) => `exposure.${p}.${n}`,
};

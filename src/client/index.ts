// `sluice/client`: a typed client for a Sluice server, generated from its OpenAPI document
// (openapi-typescript types + openapi-fetch) — what the remote CLI uses, exported for any
// TypeScript program.
export type { paths } from './api-types.js';
export {
  createSluiceClient,
  type SluiceClient,
  type SluiceClientOptions,
  unwrap,
} from './client.js';
export { errorFromResponse } from './errors.js';

// The API's OpenAPI document as committed (docs/openapi.json) and the typed client's types made
// from it. Both are generated from the route schemas; a test compares them with what the code
// generates now, so a route cannot change without its document and client.
import type { RepositoryHost } from '../internal.js';
import { buildServer } from './app.js';
import type { Authenticator } from './authenticate.js';

/** The document as JSON text (stable: 2-space indentation, trailing newline). */
export async function apiDocument(): Promise<string> {
  // Only the routes' declarations are read: nothing is served, so no repository is opened.
  const app = await buildServer({
    host: {} as RepositoryHost,
    auth: {} as Authenticator,
    logger: false,
    processMetrics: false,
  });
  await app.ready();
  const doc = app.swagger();
  await app.close();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** TypeScript types of the document's paths (openapi-typescript), with a header saying so. */
export async function clientTypes(doc: string): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(JSON.parse(doc), { alphabetize: true });
  return `// Generated from docs/openapi.json by \`npm run openapi\` (openapi-typescript): do not edit.\n${astToString(ast)}`;
}

// Writes the API's OpenAPI 3.1 document, generated from the route schemas, to docs/openapi.json,
// and the typed client's types (openapi-typescript) to src/client/api-types.ts. Run after changing
// a route: `npm run openapi`. test/server/openapi.test.ts fails when either file is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiDocument, clientTypes } from '../src/server/openapi-document.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const doc = await apiDocument();
writeFileSync(join(ROOT, 'docs', 'openapi.json'), doc);
writeFileSync(join(ROOT, 'src', 'client', 'api-types.ts'), await clientTypes(doc));
console.log('wrote docs/openapi.json and src/client/api-types.ts');

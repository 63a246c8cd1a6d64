// The OpenAPI document: generated from the route schemas, served at /api/v1/openapi.json, valid
// OpenAPI 3.1 (a maintained validator), equal to the committed docs/openapi.json — and the typed
// client's types (src/client/api-types.ts) are the ones generated from it. `npm run openapi`
// regenerates both after a route changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, test } from 'vitest';
import { apiDocument, clientTypes } from '../../src/server/openapi-document.js';
import { ROOT } from '../support/build-once.js';

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3.1', async () => {
    const doc = JSON.parse(await apiDocument());
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('equals docs/openapi.json (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8');
    expect(await apiDocument()).toBe(committed);
  });

  test('the typed client is generated from it (run `npm run openapi`)', async () => {
    const committed = readFileSync(join(ROOT, 'src', 'client', 'api-types.ts'), 'utf8');
    const doc = readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8');
    expect(await clientTypes(doc)).toBe(committed);
  });

  test('every operation answers errors with the error document', async () => {
    const doc = JSON.parse(await apiDocument());
    for (const [path, ops] of Object.entries<
      Record<string, { responses: Record<string, unknown> }>
    >(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(
          expect.arrayContaining(['4XX', '5XX']),
        );
      }
    }
  });
});

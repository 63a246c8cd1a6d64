// Path parameters that try to climb out of where they point — a `..` or `.` segment (`..%2F`
// decoded), a backslash, a NUL or another control character — are refused with 400 before any
// permission is decided or any repository looked at: no name Sluice makes has them, and a later
// layer that joins one into a file path or a key must never see one.
import type { FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../index.js';

const CONTROL = /[\u0000-\u001f\u007f\\]/;

function climbs(value: string): boolean {
  return CONTROL.test(value) || value.split('/').some((s) => s === '..' || s === '.');
}

export async function refuseTraversal(req: FastifyRequest): Promise<void> {
  const params = req.params as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'string' && climbs(value)) {
      throw new InvalidArgumentError(
        `path parameter ${name}: a name may not contain "." or ".." segments, backslashes or control characters`,
        { argument: name, reason: 'path traversal' },
      );
    }
  }
}

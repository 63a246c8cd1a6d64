import { describe, expect, it } from 'vitest';
import { processLeaseStore } from './lease-store.js';

describe('process-local leases (SQLite)', () => {
  it('has one holder per scope and name until released', async () => {
    const a = processLeaseStore('sqlite:/x/meta.db');
    const b = processLeaseStore('sqlite:/x/meta.db');
    const other = processLeaseStore('sqlite:/y/meta.db');
    const held = await a.tryLead('scheduler');
    expect(held).toBeDefined();
    expect(await b.tryLead('scheduler')).toBeUndefined();
    const elsewhere = await other.tryLead('scheduler');
    expect(elsewhere).toBeDefined();
    await held?.release();
    await held?.release();
    const taken = await b.tryLead('scheduler');
    expect(taken).toBeDefined();
    await taken?.release();
    await elsewhere?.release();
  });
});

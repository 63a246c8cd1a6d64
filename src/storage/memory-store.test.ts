import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import { describeObjectStoreConformance } from './object-store.conformance.js';
import { openObjectStore } from './open-store.js';

describeObjectStoreConformance('MemoryStore', async () => ({
  store: new MemoryStore(),
  cleanup: async () => {},
}));

describe('MemoryStore', () => {
  it('is what memory:// opens', async () => {
    const store = await openObjectStore('memory://');
    expect(store).toBeInstanceOf(MemoryStore);
    expect(store.uri).toBe('memory://');
    expect(store.kind).toBe('memory');
  });
});

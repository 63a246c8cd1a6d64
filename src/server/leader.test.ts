import { describe, expect, it } from 'vitest';
import type { Lease, LeaseStore } from '../internal.js';
import { startLeadership } from './leader.js';

/** A lease store whose one lease the test can take away, as a cut connection does. */
function fakeLeases(): LeaseStore & { cut(): void; held: boolean } {
  let lose: (() => void) | undefined;
  const store = {
    held: false,
    cut() {
      store.held = false;
      lose?.();
    },
    async tryLead(name: string): Promise<Lease | undefined> {
      if (store.held) return undefined;
      store.held = true;
      const lost = new Promise<void>((r) => {
        lose = r;
      });
      return {
        name,
        lost,
        async release() {
          store.held = false;
        },
      };
    },
  };
  return store;
}

const quiet = { info: () => {}, error: () => {} };

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('leadership', () => {
  it('aborts the task when the lease is lost, and leads again once it can', async () => {
    const leases = fakeLeases();
    let runs = 0;
    let aborted = 0;
    const leadership = startLeadership(
      leases,
      [
        {
          name: 'work',
          run: (signal) =>
            new Promise<void>((resolve) => {
              runs++;
              signal.addEventListener('abort', () => {
                aborted++;
                resolve();
              });
            }),
        },
      ],
      { retryMs: 10, log: quiet },
    );
    await until(() => runs === 1);
    expect(leadership.leading('work')).toBe(true);
    leases.cut();
    await until(() => aborted === 1);
    await until(() => runs === 2); // taken again on a later try
    await leadership.stop();
    expect(aborted).toBe(2);
    expect(leases.held).toBe(false);
    expect(leadership.leading('work')).toBe(false);
  });

  it('keeps trying while the lease store fails, and logs why', async () => {
    const errors: string[] = [];
    let tries = 0;
    const leadership = startLeadership(
      {
        async tryLead() {
          tries++;
          throw new Error('database unreachable');
        },
      },
      [{ name: 'gc', run: async () => {} }],
      { retryMs: 5, log: { info: () => {}, error: (_e, msg) => errors.push(msg) } },
    );
    await until(() => tries >= 3);
    await leadership.stop();
    expect(errors[0]).toBe('cannot take the lease of gc');
  });
});

// The MetaStore contract, run against every implementation (SQLite, PostgreSQL): one file of
// cases per role under conformance/. Each test gets a fresh, empty store from `make`, with
// repository R created.
import { afterEach, beforeEach, describe } from 'vitest';
import { describeBranchMoveStore } from './conformance/branch-moves.conformance.js';
import { describeBuildMemoStore } from './conformance/build-memo.conformance.js';
import { describeCommitRecordStore } from './conformance/commits.conformance.js';
import { describeEventStore } from './conformance/events.conformance.js';
import { describeIdentityStore } from './conformance/identities.conformance.js';
import { describeMultipartStore } from './conformance/multipart.conformance.js';
import { describeQualityHistoryStore } from './conformance/quality-history.conformance.js';
import { describeRefStore } from './conformance/refs.conformance.js';
import { describeRepositories } from './conformance/repositories.conformance.js';
import { describeSandboxStore } from './conformance/sandboxes.conformance.js';
import { describeServerRunStore } from './conformance/server-runs.conformance.js';
import { describeStagingStore } from './conformance/staging.conformance.js';
import { type ConformanceFixture, type ConformanceSubject, R, T0 } from './conformance/support.js';

export type { ConformanceSubject } from './conformance/support.js';

export function describeMetaStoreConformance(
  name: string,
  make: () => Promise<ConformanceSubject>,
): void {
  describe(`MetaStore conformance: ${name}`, () => {
    let subject: ConformanceSubject | undefined;
    const fx: ConformanceFixture = {
      get meta() {
        if (!subject) throw new Error('the conformance store exists only inside a test');
        return subject.meta;
      },
      branch: (name, stagingToken = `tok-${name}`) =>
        fx.meta.createBranch(R, {
          name,
          head: 'c0',
          stagingToken,
          sealedTokens: [],
          createdAt: T0,
        }),
    };
    beforeEach(async () => {
      subject = await make();
      await subject.meta.createRepository({
        name: R,
        storageUri: 'mem://r1',
        defaultBranch: 'main',
        createdAt: T0,
      });
    });
    afterEach(async () => {
      await subject?.cleanup();
      subject = undefined;
    });

    describeRepositories(fx);
    describeRefStore(fx);
    describeStagingStore(fx);
    describeBranchMoveStore(fx);
    describeCommitRecordStore(fx);
    describeQualityHistoryStore(fx);
    describeBuildMemoStore(fx);
    describeEventStore(fx);
    describeSandboxStore(fx);
    describeIdentityStore(fx);
    describeServerRunStore(fx);
    describeMultipartStore(fx);
  });
}

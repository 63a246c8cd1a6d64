// Child process of the tables-memory benchmark: ingests one CSV into the repository at argv[2]
// and prints its row count and peak resident set as one JSON line.
import { openRepository } from '../src/api/open-repository.js';
import { ingest } from '../src/tables/ingest.js';

const [dir, csv] = process.argv.slice(2) as [string, string];
const repo = await openRepository(dir, { committer: 'bench' });
try {
  const r = await ingest(repo, csv, { table: 'big', commit: { message: 'load' } });
  process.stdout.write(
    `${JSON.stringify({ rows: r.rowsWritten, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
  );
} finally {
  await repo.close();
}

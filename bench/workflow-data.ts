// Data of the workflow benchmarks, generated deterministically by DuckDB from hashes of the row
// number: batches of orders in the shape of examples/shop's raw_orders (id, customer_id,
// order_date, status), the customers and payments they refer to, and incompressible filler tables
// of a given size on disk. Generating is never part of what a benchmark measures.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckSession, sqlList, sqlString } from '../src/engine/duckdb.js';
import { TABLE_FILES_COPY_OPTIONS } from '../src/tables/ingest.js';

const FIRST = ['Emma', 'Liam', 'Sofia', 'Noah', 'Mia', 'Lucas', 'Lea', 'Elias', 'Hanna', 'Jonas'];
const LAST = ['Fischer', 'Garcia', 'Conti', 'Richter', 'Dubois', 'Novak', 'Jansen', 'Rossi'];
/** Mostly completed, like the example's seed; all accepted by its accepted_values test. */
export const ORDER_STATUSES = [
  'completed',
  'completed',
  'completed',
  'completed',
  'shipped',
  'placed',
  'return_pending',
  'returned',
];
export const PAYMENT_METHODS = [
  'credit_card',
  'credit_card',
  'bank_transfer',
  'gift_card',
  'coupon',
];

/** SQL picking an element of `list` by the hash expression `h` (deterministic). */
export const pick = (list: string[], h: string): string =>
  `(${sqlList(list)})[1 + CAST(${h} % ${list.length} AS INTEGER)]`;

/** Runs `fn` with a throwaway DuckDB session. */
async function withDuck<T>(fn: (duck: DuckSession) => Promise<T>): Promise<T> {
  const duck = await DuckSession.open();
  try {
    return await fn(duck);
  } finally {
    duck.close();
  }
}

export interface OrdersBatch {
  /** Ids first … first + count - 1 (unique across batches that do not overlap). */
  first: number;
  count: number;
  /** Customer ids are drawn from 1 … 0.9 × customers (~10 % never order). */
  customers: number;
}

/** The SELECT of a batch of orders: BIGINT ids, DATE order_date, VARCHAR status. */
function ordersSelect(b: OrdersBatch): string {
  const ordering = Math.max(1, Math.floor(b.customers * 0.9));
  return `SELECT id,
      CAST(1 + hash(id * 13 + 1) % ${ordering} AS BIGINT) AS customer_id,
      DATE '2024-01-01' + CAST(hash(id * 13 + 2) % 366 AS INTEGER) AS order_date,
      ${pick(ORDER_STATUSES, 'hash(id * 13 + 3)')} AS status
    FROM range(${b.first}, ${b.first + b.count}) AS r(id)`;
}

/** Writes a batch of orders as a CSV file with a header, as an exporter drops it; its bytes. */
export async function writeOrdersCsv(file: string, b: OrdersBatch): Promise<number> {
  await withDuck((duck) =>
    duck.run(`COPY (${ordersSelect(b)}) TO ${sqlString(file)} (FORMAT csv, HEADER)`),
  );
  return statSync(file).size;
}

/** Customers 1 … count, in raw_customers' shape (unique emails). */
export async function writeCustomersCsv(file: string, count: number): Promise<void> {
  await withDuck((duck) =>
    duck.run(
      `COPY (SELECT id, first_name, last_name,
         lower(first_name) || '.' || lower(last_name) || '.' || id || '@mail.example' AS email,
         signed_up_at
       FROM (
         SELECT id,
           ${pick(FIRST, 'hash(id * 11 + 1)')} AS first_name,
           ${pick(LAST, 'hash(id * 11 + 2)')} AS last_name,
           DATE '2023-01-01' + CAST(hash(id * 11 + 3) % 730 AS INTEGER) AS signed_up_at
         FROM range(1, ${count + 1}) AS r(id)
       )) TO ${sqlString(file)} (FORMAT csv, HEADER)`,
    ),
  );
}

/**
 * Payments of orders 1 … orders, in raw_payments' shape: none for 1 order in 20, two for 5 in 20,
 * else one; ids 2·order + k - 1 are unique; amounts in cents.
 */
export async function writePaymentsCsv(file: string, orders: number): Promise<number> {
  return withDuck((duck) =>
    duck.run(
      `COPY (SELECT 2 * o + k - 1 AS id, o AS order_id,
         ${pick(PAYMENT_METHODS, 'hash(o * 17 + k * 5 + 2)')} AS payment_method,
         CAST(100 + hash(o * 17 + k * 5 + 3) % 20000 AS BIGINT) AS amount
       FROM range(1, ${orders + 1}) AS r(o) CROSS JOIN range(2) AS j(k)
       WHERE k < CASE WHEN hash(o * 17 + 1) % 20 = 0 THEN 0
                      WHEN hash(o * 17 + 1) % 20 <= 5 THEN 2 ELSE 1 END
       ) TO ${sqlString(file)} (FORMAT csv, HEADER)`,
    ),
  );
}

export interface FillerTable {
  /** The Parquet files, in the layout of a table (ingest can store them as they are). */
  files: string[];
  rows: number;
  bytes: number;
}

const FILLER_BYTES_PER_ROW = 43.4; // measured: an id, 3 hash columns and an md5 text, zstd

/**
 * About `bytes` of Parquet in the layout of a table's files (zstd, ≤ 256 MB each): an id and
 * columns of hashes, which no compression shrinks — so the size on disk is the size asked for.
 */
export async function writeFillerTable(dir: string, bytes: number): Promise<FillerTable> {
  const rows = Math.max(100, Math.round(bytes / FILLER_BYTES_PER_ROW));
  await withDuck((duck) =>
    duck.run(
      `COPY (SELECT id,
         CAST(hash(id) >> 1 AS BIGINT) AS a,
         CAST(hash(id + 1) >> 1 AS BIGINT) AS b,
         CAST(hash(id + 2) >> 1 AS BIGINT) AS c,
         md5(CAST(id AS VARCHAR)) AS d
       FROM range(${rows}) AS r(id)) TO ${sqlString(dir)} (${TABLE_FILES_COPY_OPTIONS})`,
    ),
  );
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => join(dir, f));
  return { files, rows, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
}

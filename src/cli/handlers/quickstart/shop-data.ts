// What the quickstart's shop API serves at each tick: the rows of examples/shop's seeds
// (raw_orders, raw_customers) arriving over two ticks, then a few new customers and orders — and
// the three upstream bugs the story is about (orders without a customer, orders dated 2034, a
// customer who signed up twice with one email), each fixed upstream a tick later.
import { readFileSync } from 'node:fs';
import type { ApiRecord, ShopState } from './shop-api.js';

/** A seed CSV (plain: no quoted fields) as records, whole numbers as numbers. */
export function readSeed(file: string): ApiRecord[] {
  const [header = '', ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const names = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(
      names.map((n, i) => {
        const v = cells[i] ?? '';
        return [n, /^\d+$/.test(v) ? Number(v) : v];
      }),
    );
  });
}

const customer = (
  id: number,
  first_name: string,
  last_name: string,
  signed_up_at: string,
  email = `${first_name}.${last_name}@mail.example`.toLowerCase(),
): ApiRecord => ({ id, first_name, last_name, email, signed_up_at });

const order = (
  id: number,
  customer_id: number | null,
  order_date: string,
  status = 'placed',
): ApiRecord => ({ id, customer_id, order_date, status });

const NEW_CUSTOMERS = [
  customer(31, 'Mia', 'Schulz', '2024-04-02'),
  customer(32, 'Lucas', 'Rossi', '2024-04-05'),
  customer(33, 'Hanna', 'Jansen', '2024-04-09'),
];
/** Mia Schulz again, under a new id: the duplicate signup of tick 5. */
const DUPLICATE = customer(34, 'Mia', 'Schulz', '2024-04-13');
const LATE_CUSTOMER = customer(35, 'Oskar', 'Lind', '2024-04-14');

/** Orders 81–84, as the API sends them once it is fixed. */
const ORDERS_81 = [
  order(81, 31, '2024-04-11'),
  order(82, 5, '2024-04-11'),
  order(83, 32, '2024-04-12'),
  order(84, 14, '2024-04-12'),
];
/** Orders 85–88 with their real dates, and as the clock bug of tick 4 dated them. */
const ORDERS_85 = [
  order(85, 33, '2024-04-13'),
  order(86, 2, '2024-04-13'),
  order(87, 31, '2024-04-14'),
  order(88, 7, '2024-04-14'),
];
const in2034 = (o: ApiRecord): ApiRecord => ({
  ...o,
  order_date: String(o.order_date).replace(/^2024/, '2034'),
});
const ORDERS_89 = [order(89, 18, '2024-04-14'), order(90, 32, '2024-04-15')];
const ORDER_91 = order(91, 35, '2024-04-15');

/** The number of ticks the story plays. */
export const TICKS = 6;

/** The shop at `tick` (1…TICKS), from the seeds' orders and customers. */
export function shopAt(tick: number, seeds: ShopState): ShopState {
  const seedOrders = (n: number) => seeds.orders.slice(0, n);
  const seedCustomers = (n: number) => seeds.customers.slice(0, n);
  switch (tick) {
    case 1:
      return { orders: seedOrders(40), customers: seedCustomers(20) };
    case 2:
      return { orders: seedOrders(80), customers: seedCustomers(30) };
    case 3: // an export that lost the customer of every new order
      return {
        orders: [...seedOrders(80), ...ORDERS_81.map((o) => ({ ...o, customer_id: null }))],
        customers: [...seedCustomers(30), ...NEW_CUSTOMERS.slice(0, 2)],
      };
    case 4: // customers fixed; new orders dated ten years ahead
      return {
        orders: [...seedOrders(80), ...ORDERS_81, ...ORDERS_85.map(in2034)],
        customers: [...seedCustomers(30), ...NEW_CUSTOMERS],
      };
    case 5: // dates fixed; one customer signs up twice
      return {
        orders: [...seedOrders(80), ...ORDERS_81, ...ORDERS_85, ...ORDERS_89],
        customers: [...seedCustomers(30), ...NEW_CUSTOMERS, DUPLICATE],
      };
    case 6: // the duplicate merged away upstream
      return {
        orders: [...seedOrders(80), ...ORDERS_81, ...ORDERS_85, ...ORDERS_89, ORDER_91],
        customers: [...seedCustomers(30), ...NEW_CUSTOMERS, LATE_CUSTOMER],
      };
    default:
      throw new RangeError(`the shop has ticks 1 to ${TICKS}, not ${tick}`);
  }
}

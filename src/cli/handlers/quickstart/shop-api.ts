// The quickstart's stand-in for a shop's REST API and an on-call webhook, served on loopback for
// the length of the quickstart. The ingestors fetch it as they would a real API (page-numbered
// orders, cursor-paginated customers); what it serves is whatever state the story sets, tick by
// tick. The webhook keeps every alert Sluice posts, so the story can show what was delivered.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ApiRecord = Record<string, string | number | null>;

/** What the API serves: the shop as it is at one tick. */
export interface ShopState {
  orders: ApiRecord[];
  customers: ApiRecord[];
}

/** An alert as the webhook received it (the fields the story prints). */
export interface ReceivedAlert {
  type: string;
  severity: string;
  title: string;
}

export interface ShopApi {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  ordersUrl: string;
  customersUrl: string;
  hookUrl: string;
  /** Customers per page (the cursor endpoint decides it, as real APIs do). */
  set(state: ShopState): void;
  /** Every alert received so far, in arrival order. */
  alerts: ReceivedAlert[];
  close(): Promise<void>;
}

const CUSTOMERS_PAGE = 20;
const MAX_PER_PAGE = 100;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** Starts the API on 127.0.0.1 at a free port; `close()` stops it, open connections included. */
export async function startShopApi(initial: ShopState): Promise<ShopApi> {
  let state = initial;
  const alerts: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/v1/orders') {
      // ?page=1&per_page=25: page numbers from 1; a short page is the last one.
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Number(url.searchParams.get('per_page') ?? '25');
      if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1)
        return send(res, 400, { error: 'page and per_page are positive integers' });
      const per = Math.min(size, MAX_PER_PAGE);
      const data = state.orders.slice((page - 1) * per, page * per);
      return send(res, 200, { data, page, per_page: per, total: state.orders.length });
    }
    if (req.method === 'GET' && url.pathname === '/v1/customers') {
      // ?after=<id>: the customers after that id; `next` is the cursor of the following page.
      const after = url.searchParams.get('after');
      const from =
        after === null ? 0 : state.customers.findIndex((c) => String(c.id) === after) + 1;
      if (after !== null && from === 0) return send(res, 400, { error: `unknown cursor ${after}` });
      const customers = state.customers.slice(from, from + CUSTOMERS_PAGE);
      const more = from + CUSTOMERS_PAGE < state.customers.length;
      const last = customers.at(-1);
      return send(res, 200, { customers, next: more && last ? String(last.id) : null });
    }
    if (req.method === 'POST' && url.pathname === '/hooks/sluice') {
      bodyOf(req).then(
        (text) => {
          try {
            const a = JSON.parse(text) as Partial<ReceivedAlert>;
            alerts.push({
              type: String(a.type),
              severity: String(a.severity),
              title: String(a.title),
            });
            send(res, 200, { ok: true });
          } catch {
            send(res, 400, { error: 'not JSON' });
          }
        },
        () => send(res, 400, { error: 'unreadable body' }),
      );
      return;
    }
    send(res, 404, { error: `no ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    ordersUrl: `${base}/v1/orders`,
    customersUrl: `${base}/v1/customers`,
    hookUrl: `${base}/hooks/sluice`,
    set(next) {
      state = next;
    },
    alerts,
    close: () =>
      new Promise<void>((resolve) => {
        // fetch keeps connections alive: close them, or close() would wait for them.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

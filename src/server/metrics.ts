// Prometheus metrics of one server (prom-client), in a registry of its own so several servers in
// one process (tests) do not share counters: requests by route and status with latency, and the
// events a team watches — commits, merges, gate refusals, failed sign-ins.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sluice_http_requests_total',
    help: 'HTTP requests, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'sluice_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly commits = new Counter({
    name: 'sluice_commits_total',
    help: 'Commits made through the server',
    registers: [this.registry],
  });
  readonly merges = new Counter({
    name: 'sluice_merges_total',
    help: 'Merges through the server, by outcome (success, conflict, refused, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly gateRefusals = new Counter({
    name: 'sluice_gate_refusals_total',
    help: 'Merges a gate refused (failed checks or webhooks)',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'sluice_auth_failures_total',
    help: 'Requests refused for their credentials (401), rate (429) or permissions (403)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}

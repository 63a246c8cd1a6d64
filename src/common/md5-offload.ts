// MD5 on a worker thread. A gateway PUT hashes its body three times (the content address and the
// plain SHA-256, both in BlobHasher, and the MD5 that is its ETag); on one thread MD5 alone costs
// more than writing the bytes (8 s/GiB against 3.6 s on the CI machine), so it runs beside the
// SHA-256s instead of after them. One worker per process, shared by every hash in flight (each
// has an id); chunks are copied to it, and a writer waits while more than LIMIT bytes are queued.
import { Worker } from 'node:worker_threads';
import { InternalError } from './errors.js';

const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.chunk) {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(m.chunk);
    parentPort.postMessage({ id: m.id, ack: m.chunk.byteLength });
  } else {
    const h = hashes.get(m.id) ?? createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, digest: h.digest('hex') });
  }
});`;

/** Bytes a hash may have queued for the worker before its writer waits. */
const LIMIT = 32 * 1024 * 1024;

interface Pending {
  queued: number;
  wake?: () => void;
  done?: (hex: string) => void;
  fail?: (err: unknown) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function forget(id: number): void {
  pending.delete(id);
  if (pending.size === 0) worker?.unref();
}

function theWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(SOURCE, { eval: true });
  w.unref(); // an idle hashing worker must not keep the process alive (ref'd while hashing)
  w.on('message', (m: { id: number; ack?: number; digest?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.ack !== undefined) {
      p.queued -= m.ack;
      if (p.queued <= LIMIT && p.wake) {
        const wake = p.wake;
        p.wake = undefined;
        wake();
      }
    } else if (m.digest !== undefined) {
      forget(m.id);
      p.done?.(m.digest);
    }
  });
  const broken = (err: unknown) => {
    worker = undefined;
    for (const [id, p] of pending) {
      forget(id);
      p.wake?.();
      p.fail?.(err);
    }
  };
  w.on('error', broken);
  w.on('exit', (code) => broken(new InternalError(`the MD5 worker exited (${code})`)));
  worker = w;
  return w;
}

/** An MD5 computed on the shared worker: `update` may ask the writer to wait (a promise). */
export class OffloadedMd5 {
  private readonly id = nextId++;
  private readonly state: Pending = { queued: 0 };
  constructor() {
    pending.set(this.id, this.state);
    theWorker().ref(); // a digest being awaited keeps the process alive
  }

  /** Queues a copy of `chunk`; returns a promise only when the writer should wait for the worker. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    const copy = new Uint8Array(chunk); // its own buffer, so it can be transferred, not cloned
    theWorker().postMessage({ id: this.id, chunk: copy }, [copy.buffer]);
    this.state.queued += copy.byteLength;
    if (this.state.queued <= LIMIT) return undefined;
    return new Promise((resolve) => {
      this.state.wake = resolve;
    });
  }

  digest(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.state.done = resolve;
      this.state.fail = reject;
      theWorker().postMessage({ id: this.id });
    });
  }

  /** Forgets a hash that will not be finished (its stream failed). */
  discard(): void {
    forget(this.id);
    worker?.postMessage({ id: this.id });
  }
}

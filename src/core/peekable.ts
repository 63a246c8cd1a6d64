// An async iterator you can look one item ahead in.
export class Peekable<T> {
  private readonly it: AsyncIterator<T>;
  private head: IteratorResult<T> | undefined;

  constructor(source: AsyncIterable<T> | Iterable<T>) {
    this.it =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
        : toAsync((source as Iterable<T>)[Symbol.iterator]());
  }

  async peek(): Promise<T | undefined> {
    this.head ??= await this.it.next();
    return this.head.done ? undefined : this.head.value;
  }

  async next(): Promise<T | undefined> {
    const v = await this.peek();
    this.head = undefined;
    return v;
  }

  async return(): Promise<void> {
    await this.it.return?.();
  }
}

function toAsync<T>(it: Iterator<T>): AsyncIterator<T> {
  return { next: async () => it.next() };
}

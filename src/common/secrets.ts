// The one scrubber: what must never be printed — a sink's header values, its URL's query and
// user info, the values `${NAME}` references resolved to, a database password — collected into a
// `Secrets`, and every message, event and error that may carry them (a server that echoes the
// request in its error body) passed through `scrub` before it leaves. Ingestors (REST sources),
// alert sinks, gate webhooks and the OpenLineage target all use this one; `redactUrl` is how a
// configured URL is shown.

/** What a secret is replaced by. */
export const MASK = '***';

/**
 * Values shorter than this are not taken as secrets: masking `200` or `true` everywhere would
 * garble every message while protecting nothing worth a credential.
 */
const MIN_SECRET_LENGTH = 4;

/** `scheme://user:password@` anywhere in a text: the user info is masked whoever wrote it. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** An authorization scheme in front of a credential (`Bearer abc`): only the credential is secret. */
const AUTH_SCHEME = /^(?:bearer|basic|token|digest|bot|apikey|api-key)\s+(\S.*)$/i;

export class Secrets {
  private readonly values = new Set<string>();
  /** The forms to replace, longest first (recomputed when a value is added). */
  private forms: string[] | undefined;

  /** Values that must never be printed (empty and very short ones are ignored). */
  add(...values: readonly (string | null | undefined)[]): this {
    for (const v of values) {
      if (typeof v === 'string' && v.length >= MIN_SECRET_LENGTH) {
        this.values.add(v);
        this.forms = undefined;
      }
    }
    return this;
  }

  /** A header's values: each whole, or its credential when it starts with a scheme (`Bearer`). */
  addHeaders(headers: Readonly<Record<string, string>> | undefined): this {
    for (const value of Object.values(headers ?? {})) {
      const scheme = AUTH_SCHEME.exec(value.trim());
      this.add(scheme ? (scheme[1] as string) : value);
    }
    return this;
  }

  /**
   * A URL's secrets: its user name and password, and its query — the whole of it and each value
   * (numbers alone, such as page sizes, are not secrets). A string that is not a URL is taken
   * whole.
   */
  addUrl(url: string | URL): this {
    let u: URL;
    try {
      u = new URL(String(url));
    } catch {
      return this.add(String(url));
    }
    this.add(decodeOrSelf(u.username), decodeOrSelf(u.password), u.username, u.password);
    const values = [...u.searchParams.values()].filter((v) => !/^\d*$/.test(v));
    if (values.length > 0) this.add(u.search.slice(1), ...values);
    return this;
  }

  /** Every secret of `other` too. */
  addAll(other: Secrets): this {
    return this.add(...other.values);
  }

  get size(): number {
    return this.values.size;
  }

  /**
   * `text` with every secret — as it is, URL-encoded, and escaped as in JSON — replaced by `***`,
   * and the user info of any URL in it masked.
   */
  scrub(text: string): string {
    let out = text;
    for (const form of this.replaceForms())
      if (out.includes(form)) out = out.split(form).join(MASK);
    return out.replace(USERINFO, `$1${MASK}@`);
  }

  /** A value (an error's data, an event) with every string in it scrubbed. */
  scrubValue<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.scrubValue(v)) as T;
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.scrubValue(v);
      return out as T;
    }
    return value;
  }

  private replaceForms(): string[] {
    if (this.forms === undefined) {
      const forms = new Set<string>();
      for (const v of this.values) {
        forms.add(v);
        forms.add(encodeURIComponent(v));
        forms.add(JSON.stringify(v).slice(1, -1));
      }
      this.forms = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
    }
    return this.forms;
  }
}

/** A configured URL as it may be shown: no user info, every query value masked. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    // Not a URL (yet: `${NAME}` references unresolved): the same rule on the text.
    return String(url).replace(USERINFO, '$1').replace(/\?.*$/s, `?${MASK}`);
  }
  u.username = '';
  u.password = '';
  if (u.search.length > 1) {
    const names = [...u.searchParams.keys()];
    u.search = names.map((n) => `${encodeURIComponent(n)}=${MASK}`).join('&');
  }
  return u.href;
}

function decodeOrSelf(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

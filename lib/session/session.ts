/**
 * The Session: Django's SessionBase semantics over a Map (docs/django-format.md §6, §7).
 *
 * API shape: `await session.load()` once, then the dict methods are
 * synchronous. One explicit await marks the only I/O point, reads stay plain
 * (`session.get("cart")`), and the change log stays in call order; an
 * all-async API would put an await on every read for no benefit. Construction
 * reads nothing, so a request that never loads never touches the store.
 */
import type { SessionCodec } from "./codec.ts";
import { SESSION_ERROR_CODES, SessionInterrupted, SessionKeyError, SessionScopeError } from "./errors.ts";
import {
  CREATED_KEY, DEFAULT_SESSION_POLICY, EXPIRY_KEY, formatIsoDate, getCookieMaxAge, getExpireAtBrowserClose, getExpiredReason, getExpiryAge, getExpiryDate,
  shouldRefreshActivity, systemClock, toUnixSeconds, type Clock, type SessionPolicy,
} from "./expiry.ts";
import { generateSessionKey, isValidSessionKey, isWellFormedSessionKey } from "./keys.ts";
import { orderedKeys } from "./python-json.ts";
import { applyChange, replayChanges, type Change } from "./session-log.ts";
import { buildSaveRecord, decodeStored } from "./session-record.ts";
import type { SaveRecord, SessionStore } from "./store.ts";

export const TEST_COOKIE_NAME = "testcookie";
export const TEST_COOKIE_VALUE = "worked";

export interface SessionOptions {
  /** The key from the cookie; a key that cannot be the store's (see `SessionStore.isPossibleKey`) means a new session. */
  readonly key?: string | null;
  readonly store: SessionStore;
  readonly codec: SessionCodec;
  readonly policy?: SessionPolicy;
  readonly clock?: Clock;
  /** Told why a cookie's session was dropped (unknown, expired, tampered, unreadable). */
  readonly onInvalid?: (reason: string) => void;
  /**
   * Save attempts when other requests keep winning the compare-and-swap
   * (default 64: with N requests writing one session at once, the last to win
   * loses up to N - 1 times; 64 covers a burst of 50 concurrent writers, the
   * case the concurrency tests drive, with room for a loaded machine).
   */
  readonly maxSaveAttempts?: number;
  /** Waits before retrying a conflicting save (default: random jitter growing with the attempt). */
  readonly backoff?: (attempt: number) => Promise<void>;
}

const jitter = (attempt: number) => new Promise<void>((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));

export class Session {
  #key: string | null;
  /** The cookie held a value that cannot be a key: reported on load, never shown to the store. */
  #malformedKey: boolean;
  #data: Map<string, unknown> | null = null;
  #version: string | null = null;
  #log: Change[] = [];
  #loading: Promise<this> | null = null;
  readonly #options: SessionOptions & { policy: SessionPolicy; clock: Clock };
  /** True once this request changed the data (the middleware then saves and sets the cookie). */
  modified = false;
  /** True once this request read or wrote the data (the middleware then adds `Vary: Cookie`). */
  accessed = false;

  constructor(options: SessionOptions) {
    // Spelled out, not `{ ...options, policy, clock }`: on Node 20's V8 a spread followed by properties
    // the source lacks costs about 0.8 µs a property, and a Session is made on every request.
    this.#options = {
      key: options.key,
      store: options.store,
      codec: options.codec,
      policy: options.policy ?? DEFAULT_SESSION_POLICY,
      clock: options.clock ?? systemClock,
      onInvalid: options.onInvalid,
      maxSaveAttempts: options.maxSaveAttempts,
      backoff: options.backoff,
      // Every option named: one added to SessionOptions fails to compile until it is copied here.
    } satisfies Record<keyof SessionOptions, unknown>;
    const { key, store } = options;
    // The one door for a cookie's key: whatever cannot be a key stops here, before any engine sees it.
    const possible = isValidSessionKey(key) && (store.isPossibleKey ? store.isPossibleKey(key) : isWellFormedSessionKey(key));
    this.#key = possible ? key : null;
    this.#malformedKey = !possible && typeof key === "string" && key !== "";
  }

  get key(): string | null {
    return this.#key;
  }

  get isLoaded(): boolean {
    return this.#data !== null;
  }

  /** Reads the stored session once; later calls return at once. */
  load(): Promise<this> {
    if (this.#data) return Promise.resolve(this);
    return (this.#loading ??= this.#fetch().finally(() => (this.#loading = null)));
  }

  async #fetch(): Promise<this> {
    const key = this.#key;
    if (key === null) return this.#malformedKey ? this.#invalid("malformed session key") : this.#reset();
    const now = this.#options.clock();
    const stored = await this.#options.store.load(key, now);
    if (!stored) return this.#invalid("session not found or expired");
    const decoded = decodeStored(stored, this.#options.codec, now);
    if (!decoded.ok) return this.#invalid(`session data rejected: ${decoded.reason}`);
    const expired = getExpiredReason({ data: decoded.data, policy: this.#options.policy, now });
    if (expired) {
      await this.#options.store.delete(key);
      return this.#invalid(expired);
    }
    this.#data = decoded.data;
    this.#version = stored.version;
    return this;
  }

  /** Fixation protection: a key that does not lead to a valid session is forgotten, never reused. */
  #invalid(reason: string): this {
    this.#options.onInvalid?.(reason);
    return this.#reset();
  }

  #reset(): this {
    this.#key = null;
    this.#malformedKey = false;
    this.#version = null;
    this.#data = new Map();
    this.#log = [];
    return this;
  }

  #use(): Map<string, unknown> {
    if (!this.#data) throw new SessionScopeError(SESSION_ERROR_CODES.NOT_LOADED, "SessionScope: call `await session.load()` before using the session");
    this.accessed = true;
    return this.#data;
  }

  #change(change: Change): void {
    applyChange(this.#use(), change);
    this.#log.push(change);
    this.modified = true;
  }

  get(key: string, defaultValue?: unknown): unknown {
    const data = this.#use();
    return data.has(key) ? data.get(key) : defaultValue;
  }
  has(key: string): boolean {
    return this.#use().has(key);
  }
  keys(): string[] {
    return [...this.#use().keys()];
  }
  values(): unknown[] {
    return [...this.#use().values()];
  }
  entries(): [string, unknown][] {
    return [...this.#use().entries()];
  }
  get size(): number {
    return this.#use().size;
  }
  set(key: string, value: unknown): this {
    this.#change({ kind: "set", key, value });
    return this;
  }
  /** Python's `del session[key]`: a missing key throws SessionKeyError. */
  delete(key: string): void {
    if (!this.#use().has(key)) throw new SessionKeyError(key);
    this.#change({ kind: "delete", key });
  }
  /** Python's `pop`: returns and removes the value; without a default a missing key throws. */
  pop(key: string, ...defaultValue: [unknown?]): unknown {
    const data = this.#use();
    if (!data.has(key)) {
      if (defaultValue.length === 0) throw new SessionKeyError(key);
      return defaultValue[0];
    }
    const value = data.get(key);
    this.#change({ kind: "delete", key });
    return value;
  }
  setDefault(key: string, value: unknown): unknown {
    const data = this.#use();
    if (data.has(key)) return data.get(key);
    this.#change({ kind: "setDefault", key, value });
    return value;
  }
  /**
   * An atomic read-modify-write of one value: re-run on fresh data if another
   * request saved first. Returning undefined removes the key.
   */
  modify<T>(key: string, updater: (current: T | undefined) => T): T {
    this.#change({ kind: "modify", key, updater: updater as (current: unknown) => unknown });
    return this.#data!.get(key) as T;
  }
  update(values: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>): void {
    const entries = values instanceof Map ? [...values] : orderedKeys(values).map((k) => [k, (values as Record<string, unknown>)[k]] as const);
    this.#use();
    for (const [key, value] of entries) this.#change({ kind: "set", key, value });
    this.modified = true;
  }
  clear(): void {
    this.#change({ kind: "clear" });
  }
  /** Django's `is_empty()`: no key and no data, without loading. */
  isEmpty(): boolean {
    return this.#key === null && (this.#data === null || this.#data.size === 0);
  }

  setExpiry(value: number | Date | null): void {
    if (value === null) {
      if (this.#use().has(EXPIRY_KEY)) this.delete(EXPIRY_KEY);
      return;
    }
    if (typeof value === "number" && !Number.isSafeInteger(value)) throw new RangeError("SessionScope: setExpiry takes whole seconds");
    this.set(EXPIRY_KEY, value instanceof Date ? formatIsoDate(value) : value);
  }
  getExpiryAge(): number {
    return getExpiryAge({ data: this.#use(), policy: this.#options.policy, now: this.#options.clock() });
  }
  getExpiryDate(): Date {
    return getExpiryDate({ data: this.#use(), policy: this.#options.policy, now: this.#options.clock() });
  }
  /** The cookie's Max-Age: null for a browser-close session; capped by the absolute lifetime. */
  getCookieMaxAge(): number | null {
    return getCookieMaxAge({ data: this.#use(), policy: this.#options.policy, now: this.#options.clock() });
  }
  getExpireAtBrowserClose(): boolean {
    return getExpireAtBrowserClose({ data: this.#use(), policy: this.#options.policy });
  }

  setTestCookie(): void {
    this.set(TEST_COOKIE_NAME, TEST_COOKIE_VALUE);
  }
  testCookieWorked(): boolean {
    return this.get(TEST_COOKIE_NAME) === TEST_COOKIE_VALUE;
  }
  deleteTestCookie(): void {
    this.delete(TEST_COOKIE_NAME);
  }

  /** Whether the response must save: modified, SESSION_SAVE_EVERY_REQUEST, or idle-timeout activity due; never when empty. */
  needsSave(): boolean {
    if (this.isEmpty()) return false;
    if (this.modified || this.#options.policy.saveEveryRequest) return true;
    return this.#data !== null && shouldRefreshActivity({ data: this.#data, policy: this.#options.policy, now: this.#options.clock() });
  }

  /** Empties the session, deletes it from the store and forgets the key (logout). */
  async flush(): Promise<void> {
    const key = this.#key;
    this.#reset();
    this.accessed = true;
    this.modified = true;
    if (key !== null) await this.#options.store.delete(key);
  }

  /** Keeps the data under a new key and deletes the old one (login: defeats session fixation). */
  async cycleKey(): Promise<void> {
    await this.load();
    const old = this.#key;
    await this.#create();
    if (old !== null) await this.#options.store.delete(old);
  }

  async save(): Promise<void> {
    await this.load();
    if (this.#key === null || this.#version === null) return this.#create();
    const key = this.#key;
    const { maxSaveAttempts = 64, backoff = jitter, store } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const now = this.#options.clock();
      const result = await store.save(key, this.#record(now), this.#version);
      if (result.ok) return this.#saved(result);
      if (result.reason === "missing") throw new SessionInterrupted();
      if (result.reason !== "conflict" || attempt >= maxSaveAttempts) {
        throw new SessionScopeError(SESSION_ERROR_CODES.SAVE_CONFLICT, `SessionScope: could not save session after ${attempt} attempts (${result.reason})`);
      }
      await backoff(attempt);
      await this.#reloadAndReplay(key);
    }
  }

  async #reloadAndReplay(key: string): Promise<void> {
    const now = this.#options.clock();
    const stored = await this.#options.store.load(key, now);
    if (!stored) throw new SessionInterrupted();
    const decoded = decodeStored(stored, this.#options.codec, now);
    if (!decoded.ok) throw new SessionInterrupted(`SessionScope: the stored session became unreadable (${decoded.reason})`);
    this.#data = replayChanges(decoded.data, this.#log);
    this.#version = stored.version;
  }

  async #create(): Promise<void> {
    const data = this.#use();
    for (let attempt = 0; attempt < 10; attempt++) {
      const now = this.#options.clock();
      if (!data.has(CREATED_KEY)) data.set(CREATED_KEY, toUnixSeconds(now));
      const key = generateSessionKey();
      const result = await this.#options.store.save(key, this.#record(now), null);
      if (result.ok) {
        this.#key = key;
        this.modified = true;
        return this.#saved(result);
      }
      if (result.reason !== "exists") throw new SessionScopeError(SESSION_ERROR_CODES.CREATE_FAILED, `SessionScope: could not create session (${result.reason})`);
    }
    throw new SessionScopeError(SESSION_ERROR_CODES.CREATE_FAILED, "SessionScope: no unused session key after 10 attempts");
  }

  #saved(result: { version: string; key?: string }): void {
    if (result.key !== undefined) this.#key = result.key;
    this.#version = result.version;
    this.#log = [];
  }

  #record(now: Date): SaveRecord {
    return buildSaveRecord(this.#data!, this.#options.codec, this.#options.policy, now);
  }
}

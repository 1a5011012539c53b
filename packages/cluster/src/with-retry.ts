// When and how long a connection waits before retrying a request, as client-go's
// `rest/with_retry.go` (`WithRetry`: `IsNextRetry` counts attempts against `maxRetries`,
// `Before` sleeps the `Retry-After` the server asked for, `checkWait` parses it). A server's
// Retry-After is waited in full, up to the request's retries: client-go bounds that sleep only by
// the request's context (`NoBackoff.SleepWithContext`), here the caller's AbortSignal (the CLI's
// overall deadline). Our own backoff — the waits no server asked for (a reset, a document read's
// 503 without Retry-After) — draws from a retry budget shared by every request of one
// connection. The budget is a token bucket (as client-go `util/flowcontrol`
// `NewTokenBucketRateLimiter` bounds requests): it refills with time, so a client that lives for
// days (a controller) keeps retrying after a bad hour.
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * How one attempt ended, as the retry policy sees it: a response, a connection that failed before
 * any request byte was written (refused, or reset during the handshake), or a connection reset
 * after the request was written (including a response body cut short).
 *
 * @example
 * const outcome: AttemptOutcome = { kind: 'status', status: 429, retryAfter: '1' }
 */
export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfter: string | undefined }
  | { kind: 'unsent' }
  | { kind: 'reset' }

/**
 * Whether `send()`/`stream()` (the typed client) may send a request again after `outcome`, as
 * client-go's rest client decides:
 * - a response only when the server asks for it: 429 or any 5xx that carries a `Retry-After` of
 *   whole seconds, whatever the method (`rest/with_retry.go` `IsNextRetry` → `checkWait` →
 *   `retryAfterSeconds`, which reads the header with `strconv.Atoi`: no HTTP-date). A 503 without
 *   the header is final, also for a GET, and a POST is never sent twice for it.
 * - a connection reset after the request was written: GET and HEAD only (`rest/request.go`
 *   `request`, whose retryable-error func answers true for `net.IsConnectionReset`/
 *   `IsProbableEOF` on GET only: a write may have happened).
 * - a connection that failed before a byte was written: any method (Go `net/http` transport.go
 *   `shouldRetryRequest` retries a `nothingWrittenError` whatever the method).
 *
 * @example
 * isRetryable('POST', { kind: 'status', status: 503, retryAfter: '1' }) // true
 * isRetryable('GET', { kind: 'status', status: 503, retryAfter: undefined }) // false
 */
export function isRetryable(method: string, outcome: AttemptOutcome): boolean {
  switch (outcome.kind) {
    case 'unsent':
      return true
    case 'reset':
      return method === 'GET' || method === 'HEAD'
    case 'status':
      return (
        (outcome.status === 429 || outcome.status >= 500) &&
        retryAfterSeconds(outcome.retryAfter) !== undefined
      )
  }
}

/** HTTP statuses a document fetch is retried on without a Retry-After. */
const TRANSIENT_READ_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

/**
 * Whether `request()` (the GET of an OpenAPI or discovery document) may be sent again: what
 * {@link isRetryable} allows, and also a 429/502/503/504 without a `Retry-After` (or with an
 * HTTP-date one) — a document read is idempotent, and an aggregated API that is briefly
 * unavailable would otherwise drop its group-version from the whole fetch.
 *
 * @example
 * isRetryableFetch({ kind: 'status', status: 503, retryAfter: undefined }) // true
 */
export function isRetryableFetch(outcome: AttemptOutcome): boolean {
  if (isRetryable('GET', outcome)) return true
  return (
    outcome.kind === 'status' &&
    (TRANSIENT_READ_STATUSES.has(outcome.status) ||
      (outcome.status >= 500 && parseRetryAfter(outcome.retryAfter) !== undefined))
  )
}

// client-go `rest/request.go` `retryAfterSeconds`: `strconv.Atoi` of the header, so an optional
// sign and decimal digits that fit a 64-bit int; anything else (an HTTP-date too) is no request
// to retry.
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d{1,18}$/.test(value)) return undefined
  return Number(value)
}

/**
 * Retry limits of one connection.
 *
 * @example
 * const policy: RetryPolicy = { maxRetries: 4, budgetMs: 30_000 }
 */
export interface RetryPolicy {
  /** Extra attempts per request (client-go's `maxRetries`, 10 there; 4 here). */
  maxRetries: number
  /**
   * Most time the requests of the connection may back off between attempts, all together, at
   * once; a server's Retry-After is waited in full and draws nothing from it.
   */
  budgetMs: number
  /**
   * Milliseconds of waiting the budget regains per second (up to `budgetMs`); default 100, so a
   * spent 30 s budget is whole again after 5 minutes.
   */
  refillMsPerSecond?: number
  /** Exponential backoff from this many ms… */
  backoffBaseMs?: number
  /** …up to this many ms, when the server sent no Retry-After. */
  backoffMaxMs?: number
}

/**
 * The retry state of one connection: a token bucket of waiting time. Each request asks
 * {@link RetryBudget.next} whether (and how long) to wait before its next attempt.
 *
 * @example
 * const budget = new RetryBudget({ maxRetries: 4, budgetMs: 30_000 })
 * const wait = budget.next(0, '2') // 2000: the server's Retry-After
 */
export class RetryBudget {
  readonly #policy: Required<RetryPolicy>
  readonly #now: () => number
  #leftMs: number
  #at: number

  /** `now` (milliseconds, monotonic) is injectable so tests need not wait for the refill. */
  constructor(policy: RetryPolicy, now: () => number = () => performance.now()) {
    this.#policy = { backoffBaseMs: 200, backoffMaxMs: 5_000, refillMsPerSecond: 100, ...policy }
    this.#now = now
    this.#leftMs = this.#policy.budgetMs
    this.#at = now()
  }

  /** Milliseconds of waiting allowed now. */
  get remainingMs(): number {
    const now = this.#now()
    const refilled = ((now - this.#at) / 1000) * this.#policy.refillMsPerSecond
    this.#leftMs = Math.min(this.#policy.budgetMs, this.#leftMs + Math.max(0, refilled))
    this.#at = now
    return this.#leftMs
  }

  /**
   * The wait before attempt `attempt + 1`, or undefined when the request must not be retried:
   * `maxRetries` reached, or, without a Retry-After, the exponential backoff does not fit in what
   * the budget holds now. The server's Retry-After is the wait, whatever its length (client-go
   * `rest/with_retry.go` `Before`): retrying sooner would only earn another 429, and giving up
   * early fails a request the server would have served.
   */
  next(attempt: number, retryAfter?: string): number | undefined {
    if (attempt >= this.#policy.maxRetries) return undefined
    const fromHeader = parseRetryAfter(retryAfter)
    if (fromHeader !== undefined) return fromHeader
    const ms = Math.min(this.#policy.backoffMaxMs, this.#policy.backoffBaseMs * 2 ** attempt)
    if (ms > this.remainingMs) return undefined
    this.#leftMs -= ms
    return ms
  }
}

// The longest delay a Node timer holds; a longer one fires after 1 ms (TimeoutOverflowWarning).
const TIMER_MAX_MS = 2 ** 31 - 1

/**
 * Sleeps `ms` (any length: a server may ask for years), or rejects when `signal` aborts first.
 *
 * @example
 * await waitBeforeRetry(200, options.signal)
 */
export async function waitBeforeRetry(ms: number, signal?: AbortSignal): Promise<void> {
  for (let left = ms; left > 0; left -= TIMER_MAX_MS)
    await sleep(Math.min(left, TIMER_MAX_MS), undefined, signal === undefined ? {} : { signal })
}

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds (whole seconds, as client-go
 * `rest/request.go` `retryAfterSeconds` reads them) or an HTTP-date (RFC 9110 §10.2.3, for the
 * document fetch); undefined when absent or invalid.
 *
 * @example
 * parseRetryAfter('3') // 3000
 */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const trimmed = value.trim()
  // A negative count (client-go's Atoi takes one) waits nothing, as its time.Sleep does.
  if (/^[+-]?\d+$/.test(trimmed)) return Math.max(0, Number(trimmed)) * 1000
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/**
 * kubectl's `--request-timeout` value: `0` (no timeout), a bare number of seconds, or a Go
 * duration (`500ms`, `30s`, `2m`, `1h30m`) as `time.ParseDuration` reads it. Undefined when
 * malformed.
 *
 * @example
 * parseDuration('1m30s') // 90000
 * parseDuration('0')     // 0
 */
export function parseDuration(value: string): number | undefined {
  const trimmed = value.trim()
  // kubectl (`genericclioptions` `ToRESTConfig`) accepts a bare integer as seconds.
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  }
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(trimmed); m !== null; m = re.exec(trimmed)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? 0)
    matched = re.lastIndex
  }
  return matched === trimmed.length && matched > 0 ? Math.round(total) : undefined
}

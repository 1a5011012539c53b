// When and how long a connection waits before retrying a request, as client-go's
// `rest/with_retry.go` (`WithRetry`: `IsNextRetry` counts attempts against `maxRetries`,
// `Before` sleeps the `Retry-After` the server asked for, `checkWait` parses it), plus two bounds
// client-go leaves to its callers' contexts: a retry budget shared by every request of one
// connection (a server answering 429 to each of 1,000 group-versions once cost ~40 s each), and
// an overall deadline after which no request starts or waits. The budget is a token bucket (as
// client-go `util/flowcontrol` `NewTokenBucketRateLimiter` bounds requests): it refills with
// time, so a CLI run never waits more than it holds, and a client that lives for days (a
// controller) keeps retrying like client-go's per-request `maxRetries` after a bad hour.
import { setTimeout as sleep } from 'node:timers/promises'

/** HTTP statuses a GET is retried on (client-go `rest/request.go` `IsRetryableResponse`). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

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
 * Whether a request may be sent again after `outcome`, by method:
 * - GET and HEAD read only, so any transient failure is retried: 429/502/503/504, any other 5xx
 *   that carries a Retry-After (client-go `rest/with_retry.go` `IsNextRetry` → `checkWait`), and
 *   connection resets (`rest/request.go` `request`, whose retryable-error func answers true for
 *   `net.IsConnectionReset`/`IsProbableEOF` on GET only).
 * - Every other method only when the server cannot have processed it: 429 with Retry-After (the
 *   apiserver's max-in-flight and priority-and-fairness filters reject before any handler runs),
 *   and a connection that failed before a byte was written (Go `net/http` transport.go
 *   `shouldRetryRequest` retries a `nothingWrittenError` for any method). A 5xx with Retry-After
 *   is not enough here, unlike client-go's `checkWait`: a 504 timeout or 500 may follow a write
 *   that already happened, and a second POST would create twice.
 *
 * @example
 * isRetryable('POST', { kind: 'status', status: 500, retryAfter: '1' }) // false
 */
export function isRetryable(method: string, outcome: AttemptOutcome): boolean {
  const readOnly = method === 'GET' || method === 'HEAD'
  switch (outcome.kind) {
    case 'unsent':
      return true
    case 'reset':
      return readOnly
    case 'status': {
      const hasRetryAfter = parseRetryAfter(outcome.retryAfter) !== undefined
      if (outcome.status === 429 && hasRetryAfter) return true
      if (!readOnly) return false
      return RETRY_STATUSES.has(outcome.status) || (outcome.status >= 500 && hasRetryAfter)
    }
  }
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
  /** Most time the requests of the connection may wait between attempts, all together, at once. */
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
   * `maxRetries` reached, or the wait (the server's Retry-After, else exponential backoff) does
   * not fit in what the budget holds now. A Retry-After longer than that is not shortened:
   * retrying sooner than the server asked would only earn another 429.
   */
  next(attempt: number, retryAfter?: string): number | undefined {
    if (attempt >= this.#policy.maxRetries) return undefined
    const fromHeader = parseRetryAfter(retryAfter)
    const ms =
      fromHeader ?? Math.min(this.#policy.backoffMaxMs, this.#policy.backoffBaseMs * 2 ** attempt)
    if (ms > this.remainingMs) return undefined
    this.#leftMs -= ms
    return ms
  }
}

/**
 * Sleeps `ms`, or rejects when `signal` aborts first.
 *
 * @example
 * await waitBeforeRetry(200, options.signal)
 */
export async function waitBeforeRetry(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, signal === undefined ? {} : { signal })
}

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds or an HTTP-date (RFC 9110
 * §10.2.3), as client-go `rest/request.go` `checkWait` reads it; undefined when absent or invalid.
 *
 * @example
 * parseRetryAfter('3') // 3000
 */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
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

import { describe, expect, it } from 'vitest'

import {
  RetryBudget,
  isRetryable,
  isRetryableFetch,
  parseDuration,
  parseRetryAfter,
  waitBeforeRetry,
  type AttemptOutcome,
} from '../src/with-retry.js'

describe('RetryBudget', () => {
  // A clock that stands still unless a test moves it.
  const stopped = (): number => 0

  it('backs off exponentially within the budget and stops at maxRetries', () => {
    const budget = new RetryBudget({ maxRetries: 4, budgetMs: 700 }, stopped)
    expect(budget.next(0)).toBe(200)
    expect(budget.next(1)).toBe(400)
    // 100 ms left: a backoff of 800 ms does not fit, so no retry (and nothing is spent).
    expect(budget.next(2)).toBeUndefined()
    expect(budget.remainingMs).toBe(100)
    expect(budget.next(4, '1')).toBeUndefined()
  })

  // client-go rest/with_retry.go `Before` sleeps the server's Retry-After whatever its length,
  // bounded only by the request's context (the caller's signal here), up to maxRetries.
  it.each([
    { given: { retryAfter: '1', budgetMs: 0 }, want: { waitMs: 1_000, remainingMs: 0 } },
    {
      given: { retryAfter: '120', budgetMs: 30_000 },
      want: { waitMs: 120_000, remainingMs: 30_000 },
    },
    { given: { retryAfter: '0', budgetMs: 0 }, want: { waitMs: 0, remainingMs: 0 } },
  ])(
    'waits a Retry-After of $given.retryAfter s in full, drawing nothing from a budget of $given.budgetMs ms',
    ({ given, want }) => {
      const budget = new RetryBudget({ maxRetries: 10, budgetMs: given.budgetMs }, stopped)
      expect(budget.next(9, given.retryAfter)).toBe(want.waitMs)
      expect(budget.remainingMs).toBe(want.remainingMs)
    },
  )

  it('is shared: one spent budget ends every later request’s backoff', () => {
    const budget = new RetryBudget({ maxRetries: 10, budgetMs: 500 }, stopped)
    expect(budget.next(0)).toBe(200)
    expect(budget.next(0)).toBe(200)
    expect(budget.next(0)).toBeUndefined()
  })

  // A client that lives for days (a controller) stopped retrying for good after its first 30 s
  // of waits: the budget refills with time, up to its size, as a token bucket does.
  it.each([
    { given: { afterMs: 0 }, want: { remainingMs: 0, retried: undefined } },
    { given: { afterMs: 2_000 }, want: { remainingMs: 200, retried: 200 } },
    { given: { afterMs: 300_000 }, want: { remainingMs: 30_000, retried: 200 } },
    { given: { afterMs: 3_600_000 }, want: { remainingMs: 30_000, retried: 200 } },
  ])('spent, then $given.afterMs ms later: $want.remainingMs ms to wait', ({ given, want }) => {
    let now = 0
    const budget = new RetryBudget({ maxRetries: 10, budgetMs: 30_000 }, () => now)
    while (budget.next(0) !== undefined);
    now += given.afterMs
    expect(budget.remainingMs).toBe(want.remainingMs)
    expect(budget.next(0)).toBe(want.retried)
  })
})

// A server may ask for 99999999999 s; a Node timer longer than 2^31-1 ms fires after 1 ms.
describe('waitBeforeRetry', () => {
  it.each([
    { given: 99_999_999_999_000, want: 'AbortError' },
    { given: 2 ** 31, want: 'AbortError' },
  ])(
    '$given ms waits until the signal ends it, without a timer overflow',
    async ({ given, want }) => {
      const warnings: string[] = []
      const onWarning = (warning: Error): void => void warnings.push(warning.name)
      process.on('warning', onWarning)
      try {
        const error = await waitBeforeRetry(given, AbortSignal.timeout(50)).catch((e: unknown) => e)
        expect(error).toMatchObject({ name: want })
        await new Promise((resolve) => setImmediate(resolve))
        expect(warnings).toEqual([])
      } finally {
        process.off('warning', onWarning)
      }
    },
  )
})

describe('parseRetryAfter', () => {
  it.each([
    { given: '3', want: 3_000 },
    { given: ' 0 ', want: 0 },
    { given: '-1', want: 0 },
    { given: '+2', want: 2_000 },
    { given: '', want: undefined },
    { given: 'soon', want: undefined },
    { given: new Date(Date.now() - 5_000).toUTCString(), want: 0 },
  ])('$given → $want', ({ given, want }) => {
    expect(parseRetryAfter(given)).toBe(want)
  })
})

// kubectl --request-timeout: Go's time.ParseDuration, or a bare number of seconds.
describe('parseDuration', () => {
  it.each([
    { given: '0', want: 0 },
    { given: '30', want: 30_000 },
    { given: '500ms', want: 500 },
    { given: '1m30s', want: 90_000 },
    { given: '1.5h', want: 5_400_000 },
    { given: '2m', want: 120_000 },
    { given: '10x', want: undefined },
    { given: '1m 30s', want: undefined },
    { given: '', want: undefined },
    { given: '-1s', want: undefined },
  ])('$given → $want', ({ given, want }) => {
    expect(parseDuration(given)).toBe(want)
  })
})

describe('isRetryable', () => {
  const status = (code: number, retryAfter?: string): AttemptOutcome => ({
    kind: 'status',
    status: code,
    retryAfter,
  })
  // client-go rest/with_retry.go checkWait: 429 or >= 500, and a Retry-After strconv.Atoi reads.
  it.each<{ given: [string, AttemptOutcome]; want: boolean }>([
    { given: ['GET', status(429)], want: false },
    { given: ['GET', status(502)], want: false },
    { given: ['HEAD', status(503)], want: false },
    { given: ['GET', status(504)], want: false },
    { given: ['GET', status(503, '1')], want: true },
    { given: ['GET', status(500)], want: false },
    { given: ['GET', status(500, '1')], want: true },
    { given: ['GET', status(404, '1')], want: false },
    { given: ['GET', status(409, '1')], want: false },
    { given: ['GET', { kind: 'reset' }], want: true },
    { given: ['GET', { kind: 'unsent' }], want: true },
    { given: ['POST', status(429, '1')], want: true },
    { given: ['POST', status(429)], want: false },
    { given: ['POST', status(429, 'soon')], want: false },
    { given: ['POST', status(429, 'Wed, 21 Oct 2015 07:28:00 GMT')], want: false },
    { given: ['POST', status(503, '1')], want: true },
    { given: ['POST', status(503)], want: false },
    { given: ['POST', status(500)], want: false },
    { given: ['POST', status(500, '-1')], want: true },
    { given: ['PUT', status(502)], want: false },
    { given: ['PUT', status(502, '+2')], want: true },
    { given: ['PATCH', status(504, '2.5')], want: false },
    { given: ['PATCH', { kind: 'reset' }], want: false },
    { given: ['DELETE', { kind: 'reset' }], want: false },
    { given: ['POST', { kind: 'unsent' }], want: true },
    { given: ['DELETE', status(429, '0')], want: true },
  ])('$given.0 $given.1 → $want', ({ given, want }) => {
    expect(isRetryable(...given)).toBe(want)
  })
})

describe('isRetryableFetch', () => {
  const status = (code: number, retryAfter?: string): AttemptOutcome => ({
    kind: 'status',
    status: code,
    retryAfter,
  })
  it.each<{ given: AttemptOutcome; want: boolean }>([
    { given: status(503), want: true },
    { given: status(429), want: true },
    { given: status(502), want: true },
    { given: status(504), want: true },
    { given: status(500), want: false },
    { given: status(500, '1'), want: true },
    { given: status(500, 'Wed, 21 Oct 2015 07:28:00 GMT'), want: true },
    { given: status(404, '1'), want: false },
    { given: { kind: 'reset' }, want: true },
  ])('$given → $want', ({ given, want }) => {
    expect(isRetryableFetch(given)).toBe(want)
  })
})

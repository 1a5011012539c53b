// The watch's reconnect policy, as client-go's reflector waits between relists and failed
// re-watches: `tools/cache/reflector.go` builds a `wait.Backoff{Duration: 800ms, Cap: 30s,
// Factor: 2, Jitter: 1}` and steps it through `DelayWithReset(clock, 2*time.Minute)`
// (apimachinery `pkg/util/wait/backoff.go`; `NewExponentialBackoffManager` before it): each
// delay is the base plus up to one base of jitter (`wait.Jitter`), the base doubles up to the
// cap, and it starts again from 800 ms after a healthy period. Two differences, both bounds the
// reflector leaves to its caller: a healthy period is measured from the last failure (the
// reflector's timer restarts every 2 minutes even while the server keeps failing), and the
// failures in a row are counted, so a watch whose server never recovers ends with its error
// instead of retrying forever. A `Retry-After` is honoured up to the cap: a server cannot park a
// watch for an hour, nor overflow a timer.
import { setTimeout as sleep } from 'node:timers/promises'

import { ClientError } from './errors.js'
import type { WatchRetry } from './watch.js'

/** What the backoff reads from the world: injectable, so its tests never wait. */
export interface BackoffClock {
  now(): number
  /** in [0, 1) */
  random(): number
  /** resolves after `ms`, or early (without throwing) when `signal` aborts */
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>
}

const systemClock: BackoffClock = {
  now: () => performance.now(),
  random: Math.random,
  async sleep(ms, signal) {
    try {
      await sleep(ms, undefined, signal === undefined ? {} : { signal })
    } catch {
      // Aborted: the caller checks its signal next.
    }
  },
}

// Node's timers hold at most 2^31-1 ms; a base of half that leaves room for the jitter.
const MAX_DELAY_MS = 2 ** 30 - 1

/** Counts failures in a row and sleeps the backoff between them. */
export class Backoff {
  readonly #attempts: number
  readonly #initial: number
  readonly #max: number
  readonly #jitter: number
  readonly #resetAfter: number
  readonly #clock: BackoffClock
  #failures = 0
  #lastFailure: number | undefined

  constructor(retry: WatchRetry = {}, clock: BackoffClock = systemClock) {
    this.#attempts = option(retry, 'attempts', 10, Number.MAX_SAFE_INTEGER)
    this.#initial = option(retry, 'initialDelayMs', 800, MAX_DELAY_MS)
    this.#max = option(retry, 'maxDelayMs', 30_000, MAX_DELAY_MS)
    this.#jitter = option(retry, 'jitter', 1, 1)
    this.#resetAfter = option(retry, 'resetAfterMs', 120_000, Number.MAX_SAFE_INTEGER)
    this.#clock = clock
  }

  /** Progress (an event): the next failure starts from the initial delay and a full budget. */
  reset(): void {
    this.#failures = 0
  }

  /**
   * Records a failure; false when it is one more than `attempts` in a row. Otherwise sleeps the
   * backoff, or the server's `retryAfterMs` when longer (cut to `maxDelayMs`), and returns true;
   * an abort ends the sleep early.
   */
  async wait(signal: AbortSignal | undefined, retryAfterMs = 0): Promise<boolean> {
    const now = this.#clock.now()
    if (this.#lastFailure !== undefined && now - this.#lastFailure > this.#resetAfter)
      this.#failures = 0
    this.#failures += 1
    if (this.#failures > this.#attempts) return false
    const base = Math.min(this.#max, this.#initial * 2 ** (this.#failures - 1))
    const jittered = base + this.#clock.random() * this.#jitter * base
    const ms = Math.max(Math.min(retryAfterMs, this.#max), jittered)
    await this.#clock.sleep(ms, signal)
    // Measured after the sleep: the healthy period starts when the retry does.
    this.#lastFailure = this.#clock.now()
    return true
  }
}

function option(retry: WatchRetry, name: keyof WatchRetry, fallback: number, max: number): number {
  const value = retry[name]
  if (value === undefined) return fallback
  if (
    !Number.isFinite(value) ||
    value < 0 ||
    value > max ||
    (name === 'attempts' && !Number.isInteger(value))
  )
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      `watch retry.${name} is ${String(value)}: it must be a ${name === 'attempts' ? 'whole ' : ''}number from 0 to ${max}`,
    )
  return value
}

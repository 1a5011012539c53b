// The watch's reconnect policy: client-go `tools/cache/reflector.go` backs off 800 ms → 30 s
// (factor 2, jitter) between failed watches and never gives up; here the consecutive failures are
// bounded (a budget) so a dead cluster ends the iteration with an error instead of spinning
// forever. Any event received resets the count, as the reflector's backoff resets after a
// healthy period.
import { setTimeout as sleep } from 'node:timers/promises'

import type { WatchRetry } from './watch.js'

/** Counts consecutive failures and sleeps the backoff between them. */
export class Backoff {
  readonly #attempts: number
  readonly #initial: number
  readonly #max: number
  #failures = 0

  constructor(retry: WatchRetry = {}) {
    this.#attempts = retry.attempts ?? 10
    this.#initial = retry.initialDelayMs ?? 800
    this.#max = retry.maxDelayMs ?? 30_000
  }

  /** Progress was made: the next failure starts from the initial delay again. */
  reset(): void {
    this.#failures = 0
  }

  /**
   * Records a failure; false when the budget is spent. Otherwise sleeps the backoff (or the
   * server's `retryAfterMs`, when longer) and returns true; an abort ends the sleep early.
   */
  async wait(signal: AbortSignal | undefined, retryAfterMs = 0): Promise<boolean> {
    this.#failures += 1
    if (this.#failures > this.#attempts) return false
    const base = Math.min(this.#max, this.#initial * 2 ** (this.#failures - 1))
    // Jitter 1.0 as the reflector's: up to twice the base.
    const ms = Math.max(retryAfterMs, base + Math.random() * base)
    try {
      await sleep(ms, undefined, signal === undefined ? {} : { signal })
    } catch {
      // Aborted: the caller checks its signal next.
    }
    return true
  }
}

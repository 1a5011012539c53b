import { describe, expect, it } from 'vitest'

import { Backoff, type BackoffClock } from '../src/_backoff.js'
import type { WatchRetry } from '../src/index.js'

// The watch's pacing, on a clock the test moves: the sleeps asked for are values, never timed.
function fakeClock(random = 0): BackoffClock & { slept: number[]; at: number } {
  const clock = {
    slept: [] as number[],
    at: 0,
    now: () => clock.at,
    random: () => random,
    sleep: (ms: number) => {
      clock.slept.push(ms)
      clock.at += ms
      return Promise.resolve()
    },
  }
  return clock
}

async function failures(backoff: Backoff, count: number, retryAfterMs = 0): Promise<boolean[]> {
  const out: boolean[] = []
  for (let i = 0; i < count; i++) out.push(await backoff.wait(undefined, retryAfterMs))
  return out
}

describe('Backoff', () => {
  // reflector.go: wait.Backoff{Duration: 800ms, Cap: 30s, Factor: 2, Jitter: 1}.
  it.each([
    {
      given: { random: 0 },
      want: [800, 1_600, 3_200, 6_400, 12_800, 25_600, 30_000, 30_000, 30_000, 30_000],
    },
    {
      given: { random: 0.5 },
      want: [1_200, 2_400, 4_800, 9_600, 19_200, 38_400, 45_000, 45_000, 45_000, 45_000],
    },
  ])('the reflector’s delays, jitter $given.random: $want', async ({ given, want }) => {
    const clock = fakeClock(given.random)
    const backoff = new Backoff({}, clock)
    expect(await failures(backoff, 10)).toEqual(Array(10).fill(true))
    expect(clock.slept).toEqual(want)
  })

  it.each([
    { given: { attempts: 0 }, want: [false] },
    { given: { attempts: 3 }, want: [true, true, true, false, false] },
  ])(
    '$given: after that many failures in a row, the next ends the watch',
    async ({ given, want }) => {
      const backoff = new Backoff({ ...given, initialDelayMs: 1 }, fakeClock())
      expect(await failures(backoff, want.length)).toEqual(want)
    },
  )

  it.each([
    { given: 3_600_000, want: 30_000 },
    // 99999999999 s: Node's timers overflow past 2^31-1 ms and fire after 1 ms instead.
    { given: 99_999_999_999_000, want: 30_000 },
    { given: 5_000, want: 5_000 },
    // Shorter than the backoff: the backoff.
    { given: 100, want: 800 },
  ])('a Retry-After of $given ms sleeps $want ms (cut to maxDelayMs)', async ({ given, want }) => {
    const clock = fakeClock()
    await new Backoff({}, clock).wait(undefined, given)
    expect(clock.slept).toEqual([want])
  })

  it.each([
    { given: 'an event (reset())', want: [800, 1_600, 800] },
    { given: 'no failure for longer than resetAfterMs', want: [800, 1_600, 800] },
    { given: 'a failure within resetAfterMs', want: [800, 1_600, 3_200] },
  ])('$given: the next delay is $want.2 ms', async ({ given, want }) => {
    const clock = fakeClock()
    const backoff = new Backoff({ attempts: 2 }, clock)
    await failures(backoff, 2)
    if (given.startsWith('an event')) backoff.reset()
    else clock.at += given.startsWith('no failure') ? 120_001 : 119_999
    // The count restarts too: with attempts 2 a third failure in a row would end the watch.
    const third = await backoff.wait(undefined)
    expect(clock.slept).toEqual(given.startsWith('a failure') ? want.slice(0, 2) : want)
    expect(third).toBe(!given.startsWith('a failure'))
  })

  it.each<{ given: WatchRetry; want: string }>([
    { given: { attempts: -1 }, want: 'retry.attempts is -1' },
    { given: { attempts: 1.5 }, want: 'retry.attempts is 1.5' },
    { given: { maxDelayMs: Infinity }, want: 'retry.maxDelayMs is Infinity' },
    { given: { maxDelayMs: 2 ** 31 }, want: 'retry.maxDelayMs is 2147483648' },
    { given: { jitter: 2 }, want: 'retry.jitter is 2' },
  ])('$given is refused: $want', ({ given, want }) => {
    expect(() => new Backoff(given)).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
        message: expect.stringContaining(want) as unknown,
      }),
    )
  })
})

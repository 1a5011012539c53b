import type { FetchEvent } from '@k8s-codegen/openapi'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CliContext } from '../src/context.js'
import { FetchProgress, formatBytes, ValidateProgress } from '../src/progress.js'

function context(given: { tty: boolean; ci?: string }): CliContext & { err: string; out: string } {
  const ctx = {
    err: '',
    out: '',
    stdout: (t: string) => void (ctx.out += t),
    stderr: (t: string) => void (ctx.err += t),
    stderrIsTTY: given.tty,
    env: given.ci === undefined ? {} : { CI: given.ci },
    cwd: '/',
    exitCode: 0,
  }
  return ctx
}

const events: FetchEvent[] = [
  { type: 'root', source: 'v3', total: 3 },
  { type: 'download', key: 'apis/apps/v1' },
  { type: 'done', key: 'apis/apps/v1', bytes: 2_500_000, reused: false },
  { type: 'done', key: 'api/v1', bytes: 1200, reused: true },
  { type: 'unavailable', key: 'apis/metrics.k8s.io/v1beta1', status: 503 },
]

describe('FetchProgress', () => {
  it.each([
    { given: { tty: false }, want: 'plain' },
    { given: { tty: true, ci: 'true' }, want: 'plain' },
    { given: { tty: true }, want: 'live' },
  ])('$given → $want', ({ given, want }) => {
    const ctx = context(given)
    const progress = new FetchProgress(ctx, { quiet: false, verbose: true })
    for (const e of events) progress.on(e)
    progress.finish()
    expect(ctx.out).toBe('')
    expect(ctx.err).toContain(
      'warning: apis/metrics.k8s.io/v1beta1 is unavailable (HTTP 503); skipped\n',
    )
    if (want === 'plain') {
      expect(ctx.err).not.toContain('\r')
      expect(ctx.err).toContain('fetched apis/apps/v1 (2.5 MB)\n')
      expect(ctx.err).toContain('reused  api/v1 (1.2 kB)\n')
    } else {
      expect(ctx.err).toContain('\r\x1b[Kfetching ')
      expect(ctx.err).toMatch(/fetching 3\/3 group-versions · 2\.5 MB · api\/v1/)
      expect(ctx.err.endsWith('\r\x1b[K')).toBe(true)
    }
  })

  it('prints only warnings without -v on a plain stream (the command prints one summary line)', () => {
    const ctx = context({ tty: false })
    const progress = new FetchProgress(ctx, { quiet: false, verbose: false })
    for (const e of events) progress.on(e)
    progress.finish()
    expect(ctx.err).toBe(
      'warning: apis/metrics.k8s.io/v1beta1 is unavailable (HTTP 503); skipped\n',
    )
  })

  it('prints only warnings when quiet (--json), and collects failures', () => {
    const ctx = context({ tty: false })
    const progress = new FetchProgress(ctx, { quiet: true, verbose: false })
    for (const e of events) progress.on(e)
    progress.on({ type: 'failed', key: 'apis/batch/v1', error: new Error('SHA-512 mismatch') })
    expect(
      ctx.err
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('warning: ')),
    ).toBe(true)
    expect(progress.failed).toEqual([{ key: 'apis/batch/v1', message: 'SHA-512 mismatch' }])
  })
})

describe('formatBytes', () => {
  it.each([
    { given: 0, want: '0 B' },
    { given: 999, want: '999 B' },
    { given: 1500, want: '1.5 kB' },
    { given: 14_012_345, want: '14.0 MB' },
  ])('$given → $want', ({ given, want }) => {
    expect(formatBytes(given)).toBe(want)
  })
})

describe('ValidateProgress', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  // Files done at these milliseconds after the start; the clock is faked, not measured.
  const at = [0, 100, 300, 320, 500]
  it.each([
    { given: { tty: false }, want: '' },
    { given: { tty: true, ci: 'true' }, want: '' },
    {
      given: { tty: true },
      // Nothing in the first quarter second, then at most one line per 80 ms.
      want: '\r\x1b[Kvalidating 3/5 files · 1 not valid\r\x1b[Kvalidating 5/5 files · 1 not valid\r\x1b[K',
    },
  ])('$given', ({ given, want }) => {
    vi.useFakeTimers({ now: 0 })
    const ctx = context(given)
    const progress = new ValidateProgress(ctx)
    at.forEach((ms, i) => {
      vi.setSystemTime(ms)
      progress.file(i + 1, at.length, i === 0 ? 0 : 1)
    })
    progress.finish()
    expect(ctx.err).toBe(want)
  })
})

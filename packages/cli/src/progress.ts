import type { FetchEvent } from '@k8s-codegen/openapi'
import type { CliContext } from './context.js'
import { stripControl } from '@k8s-codegen/cluster/control-characters'

/**
 * `12.3 MB`-style sizes (decimal units, like curl and npm).
 *
 * @example
 * formatBytes(1500) // '1.5 kB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}

/**
 * Renders fetch events on stderr: a live, redrawn status line on a TTY (not when `CI` is set);
 * otherwise nothing but warnings (the command prints one summary line), and with `verbose`
 * (`-v`) one plain line per group-version. In `quiet` mode (--json) only warnings are printed.
 *
 * @example
 * const progress = new FetchProgress(ctx, { quiet: false, verbose: false })
 * await fetchSpecs(connection, { lockfile, onEvent: (e) => progress.on(e) })
 * progress.finish()
 */
export class FetchProgress {
  readonly failed: { key: string; message: string }[] = []
  readonly #ctx: CliContext
  readonly #live: boolean
  readonly #quiet: boolean
  readonly #verbose: boolean
  #total = 0
  #done = 0
  #bytes = 0
  #current = ''
  #lastDraw = 0

  constructor(ctx: CliContext, options: { quiet: boolean; verbose: boolean }) {
    this.#ctx = ctx
    this.#quiet = options.quiet
    this.#verbose = options.verbose
    this.#live = ctx.stderrIsTTY && !ctx.env.CI && !options.quiet
  }

  on(event: FetchEvent): void {
    switch (event.type) {
      case 'root':
        this.#total = event.total
        this.#line(`${event.total} group-versions from /openapi/${event.source}`)
        break
      case 'download':
        this.#current = event.key
        this.#draw()
        break
      case 'done':
        this.#done++
        this.#current = event.key
        if (!event.reused) this.#bytes += event.bytes
        this.#line(
          `${event.reused ? 'reused ' : 'fetched'} ${event.key} (${formatBytes(event.bytes)})`,
        )
        break
      case 'unavailable':
        this.#done++
        this.#warn(`${event.key} is unavailable (HTTP ${event.status}); skipped`)
        break
      case 'failed':
        this.#done++
        this.failed.push({ key: event.key, message: event.error.message })
        this.#warn(`${event.key} failed: ${event.error.message}`)
        break
      case 'retry':
        this.#line(`retrying ${event.key}: ${event.reason}`)
        break
      case 'warning':
        this.#warn(event.message)
        break
    }
  }

  finish(): void {
    if (this.#live) this.#ctx.stderr('\r\x1b[K')
  }

  #warn(message: string): void {
    if (this.#live) this.#ctx.stderr('\r\x1b[K')
    // Server-provided text (keys, URLs, messages) must not drive the terminal.
    this.#ctx.stderr(`warning: ${stripControl(message).replace(/\n/g, ' ')}\n`)
    this.#draw(true)
  }

  #line(text: string): void {
    if (this.#quiet) return
    if (this.#live) this.#draw()
    else if (this.#verbose) this.#ctx.stderr(`${stripControl(text)}\n`)
  }

  #draw(force = false): void {
    if (!this.#live) return
    const now = Date.now()
    if (!force && now - this.#lastDraw < 80 && this.#done < this.#total) return
    this.#lastDraw = now
    this.#ctx.stderr(
      `\r\x1b[Kfetching ${this.#done}/${this.#total} group-versions · ${formatBytes(this.#bytes)} · ${stripControl(this.#current)}`,
    )
  }
}

/**
 * `validate`'s live line on stderr, `validating 120/2000 files · 3 not valid`: on a TTY only (not
 * when `CI` is set), redrawn at most every 80 ms, and not before the run has taken a quarter of a
 * second (a small tree prints nothing). Elsewhere nothing: the command prints its summary.
 *
 * @example
 * const progress = new ValidateProgress(ctx)
 * await runValidate({ ...options, onFile: (done, total, failed) => progress.file(done, total, failed) })
 * progress.finish()
 */
export class ValidateProgress {
  readonly #ctx: CliContext
  readonly #live: boolean
  readonly #started = Date.now()
  #lastDraw = 0
  #drawn = false

  constructor(ctx: CliContext) {
    this.#ctx = ctx
    this.#live = ctx.stderrIsTTY && !ctx.env.CI
  }

  file(done: number, total: number, failed: number): void {
    if (!this.#live) return
    const now = Date.now()
    if (now - this.#started < 250 || now - this.#lastDraw < 80) return
    this.#lastDraw = now
    this.#drawn = true
    this.#ctx.stderr(`\r\x1b[Kvalidating ${done}/${total} files · ${failed} not valid`)
  }

  finish(): void {
    if (this.#drawn) this.#ctx.stderr('\r\x1b[K')
  }
}

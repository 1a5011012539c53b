// `/healthz`, `/livez`, `/readyz` and their per-check paths, as k8s.io/apiserver
// pkg/server/healthz/healthz.go serves them (handleRootHealth, adaptCheckToHandler): `ok`, or with
// `?verbose` one `[+]<check> ok` line per check and `<name> check passed`; `?exclude=<check>`
// skips one (`[+]<check> excluded: ok`, a warning line for a name no check has); a failed check
// is a 500 listing every check. The checks are the emulator's own: `ping` (always passes, as
// PingHealthz does) and, for readiness, `shutdown` (fails once close() began, as the apiserver's
// shutdown check does); kube-apiserver adds etcd's, the log's and its post-start hooks', which
// have no counterpart in an in-process server.
import { notFoundText, textHeaders, type Exchange } from './_exchange.js'

/** One named check: `failure()` says why it fails, undefined when it passes. */
export interface HealthCheck {
  name: string
  failure(): string | undefined
}

const endpoints = ['/healthz', '/livez', '/readyz'] as const

/**
 * Serves `path` when it is a health endpoint (true), with `checks` for `/healthz` and `/livez`
 * and `readiness` added for `/readyz`.
 *
 * @example
 * if (serveHealth(exchange, '/readyz', checks, [shutdownCheck])) return
 */
export function serveHealth(
  exchange: Exchange,
  path: string,
  checks: HealthCheck[],
  readiness: HealthCheck[],
): boolean {
  const endpoint = endpoints.find((e) => path === e || path.startsWith(`${e}/`))
  if (endpoint === undefined) return false
  const all = endpoint === '/readyz' ? [...checks, ...readiness] : checks
  const name = endpoint.slice(1)
  if (path !== endpoint) {
    // InstallPathHandler: `/<endpoint>/<check>` answers that check alone; anything else under
    // the endpoint (`/healthz/` too) is the mux's 404.
    const check = all.find((c) => path === `${endpoint}/${c.name}`)
    const failure = check?.failure()
    if (check === undefined) notFoundText(exchange)
    else if (failure === undefined)
      exchange.respond(
        200,
        { ...exchange.cacheControl, 'Content-Type': 'text/plain; charset=utf-8' },
        Buffer.from('ok'),
        exchange.matched,
      )
    else
      exchange.respond(
        500,
        { ...exchange.cacheControl, ...textHeaders() },
        Buffer.from(`internal server error: ${failure}\n`),
        exchange.matched,
      )
    return true
  }
  const excluded = new Set(exchange.search.getAll('exclude'))
  const unknown = new Set(excluded)
  let lines = ''
  let failed = false
  for (const check of all) {
    unknown.delete(check.name)
    if (excluded.has(check.name)) lines += `[+]${check.name} excluded: ok\n`
    else if (check.failure() === undefined) lines += `[+]${check.name} ok\n`
    else {
      lines += `[-]${check.name} failed: reason withheld\n`
      failed = true
    }
  }
  if (unknown.size > 0)
    lines += `warn: some health checks cannot be excluded: no matches for ${[...unknown]
      .sort()
      .map((n) => JSON.stringify(n))
      .join(',')}\n`
  const head = { ...exchange.cacheControl, ...textHeaders() }
  if (failed)
    exchange.respond(500, head, Buffer.from(`${lines}${name} check failed\n`), exchange.matched)
  else
    exchange.respond(
      200,
      head,
      Buffer.from(exchange.search.has('verbose') ? `${lines}${name} check passed\n` : 'ok'),
      exchange.matched,
    )
  return true
}

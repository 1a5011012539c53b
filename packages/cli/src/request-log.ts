// `-v 6` and up: each request as kubectl logs it, in klog's text format on stderr
// (`I1206 12:00:00.000000   12345 round_trippers.go:632] "Response" verb="GET" url="…"
// status="200 OK" milliseconds=5`). Levels as client-go transport/round_trippers.go
// `debuggingRoundTripper` (6: URL and timing; 7: request headers and status; 8: response headers)
// and rest/request.go `logBody` (8: bodies, cut at 1024 characters; 9: 10240; 10: whole).
import type { RequestLogEntry } from '@k8s-codegen/cluster'
import { stripControl } from '@k8s-codegen/cluster/control-characters'

import type { CliContext } from './context.js'

// node:http is loaded once a response is logged, not by importing this module on every start.
const reason = (status: number): string | undefined =>
  process.getBuiltinModule('node:http').STATUS_CODES[status]

function klogHeader(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  const micros = String(now.getMilliseconds() * 1000).padStart(6, '0')
  return `I${two(now.getMonth() + 1)}${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}.${micros} ${String(process.pid).padStart(7)} round_trippers.go]`
}

function quote(value: string): string {
  return JSON.stringify(stripControl(value))
}

function headersText(headers: Record<string, string | string[]>): string {
  return Object.entries(headers)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([name, value]) =>
        `\n\t${name}: ${stripControl(Array.isArray(value) ? value.join(', ') : value)}`,
    )
    .join('')
}

// rest/request.go truncateBody.
function bodyText(body: Uint8Array, level: number): string {
  const text = new TextDecoder().decode(body)
  const max = level >= 10 ? Infinity : level >= 9 ? 10240 : 1024
  return text.length <= max ? text : `${text.slice(0, max)} [truncated ${text.length - max} chars]`
}

/**
 * A `-v` logger for `loadConnection`'s `onRequestLog`, writing klog-formatted lines to stderr.
 *
 * @example
 * loadConnection({ onRequestLog: requestLogger(6, ctx) })
 */
export function requestLogger(level: number, ctx: CliContext): (entry: RequestLogEntry) => void {
  return (entry) => {
    const at = klogHeader(new Date())
    if (entry.phase === 'request') {
      if (level < 7) return
      ctx.stderr(
        `${at} "Request" verb=${quote(entry.method)} url=${quote(entry.url)} headers=<${headersText(entry.headers)}\n >\n`,
      )
      if (level >= 8 && entry.body !== undefined)
        ctx.stderr(`${at} "Request Body" body=${quote(bodyText(entry.body, level))}\n`)
      return
    }
    const status =
      entry.status === undefined ? '' : `${entry.status} ${reason(entry.status) ?? ''}`.trim()
    const url = level < 7 ? ` verb=${quote(entry.method)} url=${quote(entry.url)}` : ''
    const error = entry.error === undefined ? '' : ` err=${quote(entry.error)}`
    const headers = level >= 8 ? ` headers=<${headersText(entry.headers)}\n >` : ''
    ctx.stderr(
      `${at} "Response"${url} status=${quote(status)}${headers} milliseconds=${entry.milliseconds}${error}\n`,
    )
    if (level >= 8 && entry.body !== undefined)
      ctx.stderr(`${at} "Response Body" body=${quote(bodyText(entry.body, level))}\n`)
  }
}

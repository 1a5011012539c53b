import type { IncomingMessage } from 'node:http'

/** One clause of an Accept header (github.com/munnerz/goautoneg `ParseAccept`). */
export interface AcceptClause {
  type: string
  subType: string
  q: number
}

/**
 * Parses an Accept header like goautoneg `ParseAccept`, which kube-openapi's handlers use: media
 * ranges with their `q`, sorted by q (descending), then by specificity.
 */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = []
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim())
    if (range === '') continue
    const slash = range.indexOf('/')
    const type = slash === -1 ? range : range.slice(0, slash)
    const subType = slash === -1 ? '*' : range.slice(slash + 1)
    let q = 1
    for (const param of params) {
      const [name, value] = param.split('=').map((s) => s.trim())
      if (name === 'q' && value !== undefined) q = Number.parseFloat(value)
    }
    clauses.push({ type, subType, q: Number.isNaN(q) ? 0 : q })
  }
  const specificity = (c: AcceptClause): number =>
    (c.type === '*' ? 0 : 1) + (c.subType === '*' ? 0 : 1)
  return clauses.sort((a, b) => b.q - a.q || specificity(b) - specificity(a))
}

/** True when a clause accepts `application/json` (kube-openapi matches type, then subtype). */
export function acceptsJson(clause: AcceptClause): boolean {
  return (
    (clause.type === 'application' || clause.type === '*') &&
    (clause.subType === 'json' || clause.subType === '*')
  )
}

/** True when Accept-Encoding allows gzip (NYTimes/gziphandler `acceptsGzip`: q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (coding !== 'gzip') continue
    const q = params.find((p) => p.startsWith('q='))
    return q === undefined || Number.parseFloat(q.slice(2)) > 0
  }
  return false
}

/**
 * Go net/http `checkIfNoneMatch` as `http.ServeContent` applies it: `*` or any listed entity
 * tag weakly equal to `etag` means the client's copy is current.
 */
export function ifNoneMatchHits(header: string | undefined, etag: string | undefined): boolean {
  if (header === undefined || etag === undefined) return false
  const strip = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag)
  return header
    .split(',')
    .map((s) => s.trim())
    .some((tag) => tag === '*' || strip(tag) === strip(etag))
}

/** Go's `http.TimeFormat` (RFC 7231 IMF-fixdate), as net/http writes Last-Modified. */
export function httpDate(date: Date): string {
  return date.toUTCString()
}

/**
 * Go's `time.RFC1123` of a UTC time (`Mon, 02 Jan 2006 15:04:05 UTC`): kube-openapi formats
 * `Expires` with it, so servers running in UTC send `UTC`, not `GMT`.
 */
export function rfc1123Utc(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC')
}

/** Whether `If-Modified-Since` makes the response 304 (net/http `checkIfModifiedSince`). */
export function notModifiedSince(req: IncomingMessage, lastModified: Date): boolean {
  if (req.headers['if-none-match'] !== undefined) return false
  const since = req.headers['if-modified-since']
  if (since === undefined) return false
  const time = Date.parse(since)
  if (Number.isNaN(time)) return false
  return Math.floor(lastModified.getTime() / 1000) <= Math.floor(time / 1000)
}

/** A `metav1.Status` failure body (apimachinery `pkg/api/errors`), JSON and newline-terminated. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): Buffer {
  const status: Record<string, unknown> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  }
  if (details !== undefined) status['details'] = details
  status['code'] = code
  return Buffer.from(JSON.stringify(status) + '\n')
}

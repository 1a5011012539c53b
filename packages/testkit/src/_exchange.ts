import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { MatchedFaults } from './faults.js'
import type { UserInfo } from './service-account-token.js'

/** Writes one response; every handler answers through it so the request log records the status. */
export type Respond = (
  status: number,
  head: OutgoingHttpHeaders,
  body: Buffer,
  matched?: MatchedFaults,
) => void

/** One authenticated request as the route handlers see it. */
export interface Exchange {
  req: IncomingMessage
  /** Who sent it (authentication's answer; SelfSubjectReview reports it). */
  user: UserInfo
  /** Request path without the server's prefix and without the query. */
  routePath: string
  search: URLSearchParams
  respond: Respond
  matched: MatchedFaults
  /** `Cache-Control: no-cache, private` (apiserver `pkg/endpoints/filters/cachecontrol.go`). */
  cacheControl: Record<string, string>
  /** Writes the head of a streamed response (watch, proxy) and returns it for the body. */
  stream(status: number, head: OutgoingHttpHeaders): ServerResponse
}

/** Go net/http `Error`/`NotFound` headers. */
export function textHeaders(): Record<string, string> {
  return { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
}

/** Go net/http `NotFound`: `404 page not found`, text. */
export function notFoundText(exchange: Exchange): void {
  exchange.respond(
    404,
    { ...exchange.cacheControl, ...textHeaders() },
    Buffer.from('404 page not found\n'),
    exchange.matched,
  )
}

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { statusBody } from './_http.js'

/**
 * A programmable misbehaviour of the emulator, matched against the request path without the
 * server's prefix and without the query. `times` limits how many requests it affects (default:
 * every matching request; `rehash-root` defaults to once, "the next GV request").
 *
 * @example
 * const remove = server.injectFault({ path: '/openapi/v3/apis/apps/v1', kind: 'status', status: 429, retryAfter: 1, times: 2 })
 * remove()
 */
export type Fault = { path: string | RegExp; times?: number } & (
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'truncate'; bytes: number }
  | { kind: 'wrong-hash' }
  | { kind: 'drip'; chunkBytes: number; intervalMs: number }
  | { kind: 'rehash-root' }
)

interface ActiveFault {
  fault: Fault
  remaining: number
}

/** The faults that apply to one request, already counted against their `times`. */
export interface MatchedFaults {
  latencyMs: number
  status?: Extract<Fault, { kind: 'status' }>
  body?: Extract<Fault, { kind: 'reset' | 'truncate' | 'drip' }>
  wrongHash: boolean
  rehash: boolean
}

/** The set of injected faults of one server. */
export class FaultTable {
  readonly #active: ActiveFault[] = []

  add(fault: Fault): () => void {
    const times = fault.times ?? (fault.kind === 'rehash-root' ? 1 : Number.POSITIVE_INFINITY)
    const active: ActiveFault = { fault, remaining: times }
    this.#active.push(active)
    return () => {
      const index = this.#active.indexOf(active)
      if (index !== -1) this.#active.splice(index, 1)
    }
  }

  match(path: string): MatchedFaults {
    const matched: MatchedFaults = { latencyMs: 0, wrongHash: false, rehash: false }
    for (const active of this.#active) {
      const { fault } = active
      if (active.remaining <= 0) continue
      const hit = typeof fault.path === 'string' ? fault.path === path : fault.path.test(path)
      if (!hit) continue
      active.remaining -= 1
      switch (fault.kind) {
        case 'latency':
          matched.latencyMs += fault.ms
          break
        case 'status':
          matched.status ??= fault
          break
        case 'reset':
        case 'truncate':
        case 'drip':
          matched.body ??= fault
          break
        case 'wrong-hash':
          matched.wrongHash = true
          break
        case 'rehash-root':
          matched.rehash = true
          break
      }
    }
    return matched
  }
}

/** Bytes that parse like the original but hash differently (a `wrong-hash` fault). */
export function corrupt(bytes: Buffer): Buffer {
  return Buffer.concat([bytes, Buffer.from(' ')])
}

// apimachinery `pkg/api/errors/errors.go`: NewTooManyRequests, NewInternalError,
// NewServiceUnavailable and the generic NewGenericServerResponse reasons per code.
export function injectedStatusBody(status: number, retryAfter: number | undefined): Buffer {
  const details = retryAfter === undefined ? undefined : { retryAfterSeconds: retryAfter }
  switch (status) {
    case 429:
      return statusBody(
        429,
        'TooManyRequests',
        'Too many requests, please try again later.',
        details,
      )
    case 500:
      return statusBody(500, 'InternalError', 'Internal error occurred: injected fault', {
        causes: [{ message: 'injected fault' }],
      })
    case 503:
      return statusBody(
        503,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
        details,
      )
    case 504:
      return statusBody(
        504,
        'Timeout',
        'the server was unable to return a response in the time allotted, but may still be processing the request',
        details,
      )
    case 403:
      return statusBody(403, 'Forbidden', 'forbidden: injected fault', details)
    case 401:
      return statusBody(401, 'Unauthorized', 'Unauthorized')
    default:
      return statusBody(
        status,
        '',
        `an error on the server ("injected fault") has prevented the request from succeeding`,
        details,
      )
  }
}

/** What a body fault needs from the server: its timers, its closed flag and a TCP reset. */
export interface FaultWriterContext {
  later(ms: number): Promise<void>
  isClosed(): boolean
  reset(res: ServerResponse): void
}

/** Writes a response damaged by a `reset`, `truncate` or `drip` fault. */
export function writeWithFault(
  res: ServerResponse,
  status: number,
  head: OutgoingHttpHeaders,
  body: Buffer,
  fault: NonNullable<MatchedFaults['body']>,
  context: FaultWriterContext,
): void {
  const withLength = { ...head, 'Content-Length': body.length }
  switch (fault.kind) {
    case 'reset': {
      res.writeHead(status, withLength)
      res.write(body.subarray(0, Math.min(fault.afterBytes, body.length)), () => {
        // Reset once the bytes are on the wire: an RST that overtakes them would drop them.
        void context.later(20).then(() => context.reset(res))
      })
      return
    }
    case 'truncate': {
      res.writeHead(status, withLength)
      res.write(body.subarray(0, Math.min(fault.bytes, body.length)), () => {
        res.socket?.end()
      })
      return
    }
    case 'drip': {
      res.writeHead(status, withLength)
      let offset = 0
      const step = (): void => {
        if (context.isClosed() || res.destroyed) return
        const chunk = body.subarray(offset, offset + Math.max(1, fault.chunkBytes))
        offset += chunk.length
        if (offset >= body.length) {
          res.end(chunk)
          return
        }
        res.write(chunk)
        void context.later(fault.intervalMs).then(step)
      }
      step()
      return
    }
  }
}

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

// The one normaliser of the server-parity suite. Two servers given the same requests answer
// with values no client can predict: a normalised transcript keeps everything else, and keeps
// the relations between the unpredictable values (the uid a Precondition names is the uid the
// create returned; an Exact list's resourceVersion is the one asked for).
//
// | value                                                     | becomes                          |
// | --------------------------------------------------------- | -------------------------------- |
// | a UUID anywhere (uids, in messages too)                   | `<uid-N>`, N by first appearance |
// | a `resourceVersion` value                                 | `<rv-N>`, N by first appearance  |
// | a list's `resourceVersion` (a Table's, deleteCollection's) | `<rv-current>` when not older    |
// | read at the current revision (no `resourceVersion`, `0`,  | than what the read must include; |
// | `NotOlderThan`), and a BOOKMARK's                         | else `<rv-N>` (a stale read)     |
// | a continued page's `resourceVersion`                      | `<rv-current>` when a current    |
// |                                                           | read answered it, else `<rv-N>`  |
// | a revision in the apiserver's texts that name one (`too   | `<rv-N>` when seen, else `<rv>`  |
// | old resource version: A (B)`, preconditions, too large)   |                                  |
// | a list's `continue` token (base64 of a revision and key)  | `<continue-N>`                   |
// | an RFC 3339 time (creationTimestamp, managedFields time,  | `<time>`                         |
// | deletionTimestamp, events), an HTTP date (`Expires`)      |                                  |
// | `metadata.name` made from `generateName`                  | `generateName` + `<random>`      |
// | the server's host:port (`Location`, `serverAddress`)      | `<server>`                       |
// | an `ETag` value (a hash of bytes compared anyway)         | `<etag>`                         |
// | an OpenAPI `hash=` (of documents that differ by release)  | `hash=<hash>`                    |
// | apply conflict causes (kube-apiserver lists them in Go    | sorted by field, then message    |
// | map order, which varies from run to run)                  |                                  |
// | `resourceVersion=` and `continue=` in a request's query   | as in bodies                     |
// | a Table's `Age` cell (`0s`, `1s`: the time since creation  | `<age>`                          |
// | when the server answered)                                 |                                  |
// | a Service's allocated `clusterIP` / `clusterIPs` (random    | `<cluster-ip-N>`, N by first     |
// | in the service CIDR: pkg/registry/core/service/ipallocator)| appearance                       |
// | and `nodePort` (portallocator), a Table's Cluster-IP cell  | `<node-port-N>`                  |
// | and the node ports in its Port(s) cell                     |                                  |
// | the order of `managedFields` entries (apimachinery         | Go's order for entries of one    |
// | managedfields/internal/managedfields.go                   | second: operation, manager,      |
// | sortEncodedManagedFields: by operation, then the second of | subresource                      |
// | their time, which two writes may or may not share)        |                                  |
//
// A list read at the current revision answers the store's revision, which every write of any
// client moves, the apiserver's own lease renewals too (apimachinery
// pkg/apis/meta/v1/types.go ListMeta.ResourceVersion: "opaque", "the version of the list";
// k8s.io/apiserver pkg/storage/cacher/cacher.go GetList serves a consistent read at etcd's
// current revision): its number says nothing a client may rely on beyond not being older than
// what the read must include — the items it lists, a write the transcript saw acknowledged
// (no `resourceVersion`), or the `resourceVersion` asked for (`NotOlderThan`). The normaliser
// checks that on the numbers (both servers count etcd-style integer revisions; a client never
// compares them) and keeps `<rv-current>`, so a row cannot depend on another client being
// idle; a read older than its floor is numbered and differs. A continued page and an `Exact`
// read name their revision: they keep the relation (the first page's, the one asked for).
//
// Headers are reduced to those a client acts on (`content-type`, `warning`, `location`,
// `cache-control`, `vary`, `etag`, `expires`, `retry-after`, `content-encoding`); `date`,
// `audit-id`, the priority-and-fairness ids and framing headers differ on every request.
// Numbering is per transcript: each scenario starts again at 1.

const openapiHash = /hash=[0-9A-F]{32,}/g
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const httpDate = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/
// The apiserver's texts that name revisions, which the transcript may not have seen as a
// resourceVersion: watch_cache.go and etcd3 `too old resource version: A (B)`, cacher
// `Too large resource version: A, current: B`, rest/delete.go preconditions. Only these: other digits
// in a message (`Invalid value: 3`) stay as they are.
const revisionText =
  /(?<=too old resource version: |too old resource version: \d+ \(|Too large resource version: |, current: |the ResourceVersion in the precondition \(|the ResourceVersion in record \()\d+/g

const keptHeaders = [
  'content-type',
  'warning',
  'location',
  'cache-control',
  'vary',
  'etag',
  'expires',
  'retry-after',
  'content-encoding',
] as const

// The Age column of a Table (k8s.io/kubernetes pkg/printers/internalversion/printers.go,
// translateTimestampSince): how long ago the object was created when the server answered, so
// `0s` or `1s` by the machine's load.
function normaliseAges(table: Record<string, unknown>): void {
  const columns = table['columnDefinitions']
  const rows = table['rows']
  if (!Array.isArray(columns) || !Array.isArray(rows)) return
  const age = columns.findIndex((c) => (c as Record<string, unknown>)['name'] === 'Age')
  if (age === -1) return
  for (const row of rows as Record<string, unknown>[]) {
    const cells = row['cells']
    if (Array.isArray(cells) && age < cells.length) cells[age] = '<age>'
  }
}

// A Service Table's Cluster-IP and Port(s) cells (printers.go printService): the allocated
// values as in a Service's body.
function normaliseServiceCells(
  table: Record<string, unknown>,
  clusterIp: (ip: string) => string,
  nodePort: (port: number) => string,
): void {
  const columns = table['columnDefinitions']
  const rows = table['rows']
  if (!Array.isArray(columns) || !Array.isArray(rows)) return
  const named = (name: string): number =>
    columns.findIndex((c) => (c as Record<string, unknown>)['name'] === name)
  const [ip, ports] = [named('Cluster-IP'), named('Port(s)')]
  for (const row of rows as Record<string, unknown>[]) {
    const cells = row['cells']
    if (!Array.isArray(cells)) continue
    if (ip !== -1 && typeof cells[ip] === 'string') cells[ip] = clusterIp(cells[ip])
    if (ports !== -1 && typeof cells[ports] === 'string')
      cells[ports] = cells[ports].replace(/(?<=:)\d+(?=\/)/g, (p) => nodePort(Number(p)))
  }
}

const current = '<rv-current>'

// The revisions in `value` (its `resourceVersion` keys at any depth), as numbers.
// Managed fields entries as sortEncodedManagedFields orders those whose times fall in one second
// (their times are `<time>` here): by operation, manager, subresource, in Go's byte order.
function inOneSecondOrder(entries: unknown[]): unknown[] {
  const sortKey = (entry: unknown): string[] => {
    const e = (entry ?? {}) as Record<string, unknown>
    return ['operation', 'manager', 'subresource'].map((k) =>
      typeof e[k] === 'string' ? e[k] : '',
    )
  }
  return entries.toSorted((a, b) => {
    const [p, q] = [sortKey(a), sortKey(b)]
    const i = p.findIndex((part, at) => part !== q[at])
    return i === -1 ? 0 : (p[i] as string) < (q[i] as string) ? -1 : 1
  })
}

function revisionsIn(value: unknown, key?: string): bigint[] {
  if (key === 'resourceVersion' && typeof value === 'string' && /^\d+$/.test(value))
    return [BigInt(value)]
  if (Array.isArray(value)) return value.flatMap((item) => revisionsIn(item))
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => revisionsIn(v, k))
}

function newestOf(revisions: bigint[]): bigint {
  return revisions.reduce((a, b) => (a > b ? a : b), 0n)
}

// The `resourceVersion` of a list or Table answer.
function listRevision(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined
  const { metadata, items, rows } = body as Record<string, unknown>
  if (!Array.isArray(items) && !Array.isArray(rows)) return undefined
  const revision = (metadata as Record<string, unknown> | undefined)?.['resourceVersion']
  return typeof revision === 'string' && /^\d+$/.test(revision) ? revision : undefined
}

/** Renumbers unpredictable values of one transcript; see the table above. */
export class Normaliser {
  readonly #uids = new Map<string, string>()
  readonly #revisions = new Map<string, string>()
  readonly #continues = new Map<string, string>()
  readonly #clusterIps = new Map<string, string>()
  readonly #nodePorts = new Map<number, string>()
  // Revisions answered by reads at the current revision, which a continued page repeats.
  readonly #currentReads = new Set<string>()
  #newest = 0n
  readonly #host: string

  /** `host`: the server's `host:port`, replaced by `<server>`. */
  constructor(host: string) {
    this.#host = host
  }

  /** The placeholder of a revision (numbering it when new). */
  revision(value: string): string {
    let placeholder = this.#revisions.get(value)
    if (placeholder === undefined) {
      placeholder = `<rv-${this.#revisions.size + 1}>`
      this.#revisions.set(value, placeholder)
    }
    return placeholder
  }

  /** The newest revision the answers normalised (or observed) so far have shown. */
  get newest(): bigint {
    return this.#newest
  }

  /** Notes the revisions of answers outside the transcript (a scenario's setup). */
  observe(body: unknown): void {
    this.#newest = newestOf([this.#newest, ...revisionsIn(body)])
  }

  // `<rv-current>` when `revision` is not older than `floor`, else its number (a stale read).
  #current(revision: string, floor: bigint): string {
    if (BigInt(revision) < floor) return this.revision(revision)
    this.#currentReads.add(revision)
    return current
  }

  /**
   * The body answering `request` (`METHOD path?query`, as sent): a list read at the current
   * revision keeps only that its revision is current; everything else as {@link json}.
   */
  answer(request: string, body: unknown): unknown {
    const revision = listRevision(body)
    // A GET of a collection, or a DELETE of one (apiserver pkg/registry/generic/registry
    // store.go DeleteCollection answers the list it read before deleting).
    if (revision === undefined || !/^(GET|DELETE) /.test(request)) return this.json(body)
    const query = new URLSearchParams(request.split('?')[1] ?? '')
    const asked = query.get('resourceVersion') ?? ''
    let placeholder: string | undefined
    if (query.has('continue')) {
      placeholder = this.#currentReads.has(revision) ? current : undefined
    } else if (query.get('resourceVersionMatch') !== 'Exact' && /^\d*$/.test(asked)) {
      const { items, rows } = body as Record<string, unknown>
      const floor = newestOf([
        ...revisionsIn(items ?? rows),
        asked === '' ? this.#newest : BigInt(asked),
      ])
      placeholder = this.#current(revision, floor)
    }
    if (placeholder === undefined) return this.json(body)
    const record = body as Record<string, unknown>
    return this.json({
      ...record,
      metadata: { ...(record['metadata'] as object), resourceVersion: placeholder },
    })
  }

  /**
   * The events of the watch `request` (as sent), opened when the answers had shown `opened`:
   * a BOOKMARK's revision is current when not older than the watch's start and the events
   * before it.
   */
  events(request: string, events: unknown[], opened: bigint): unknown[] {
    const asked = new URLSearchParams(request.split('?')[1] ?? '').get('resourceVersion') ?? ''
    let floor = asked === '' ? opened : /^\d+$/.test(asked) ? BigInt(asked) : 0n
    return events.map((event) => {
      const record = event as { type?: unknown; object?: { metadata?: object } }
      const { object } = record
      const revision = listRevision({ metadata: object?.metadata, items: [] })
      if (record.type !== 'BOOKMARK' || revision === undefined || object === undefined) {
        floor = newestOf([floor, ...revisionsIn(event)])
        return this.json(event)
      }
      const placeholder = this.#current(revision, floor)
      return this.json({
        ...record,
        object: { ...object, metadata: { ...object.metadata, resourceVersion: placeholder } },
      })
    })
  }

  #uid(value: string): string {
    let placeholder = this.#uids.get(value)
    if (placeholder === undefined) {
      placeholder = `<uid-${this.#uids.size + 1}>`
      this.#uids.set(value, placeholder)
    }
    return placeholder
  }

  // An allocated cluster IP (`None` and an empty one are no allocation).
  #clusterIp(value: string): string {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(value)) return value
    let placeholder = this.#clusterIps.get(value)
    if (placeholder === undefined) {
      placeholder = `<cluster-ip-${this.#clusterIps.size + 1}>`
      this.#clusterIps.set(value, placeholder)
    }
    return placeholder
  }

  #nodePort(value: number): string {
    let placeholder = this.#nodePorts.get(value)
    if (placeholder === undefined) {
      placeholder = `<node-port-${this.#nodePorts.size + 1}>`
      this.#nodePorts.set(value, placeholder)
    }
    return placeholder
  }

  #continue(value: string): string {
    let placeholder = this.#continues.get(value)
    if (placeholder === undefined) {
      placeholder = `<continue-${this.#continues.size + 1}>`
      this.#continues.set(value, placeholder)
    }
    return placeholder
  }

  /** A text: UUIDs, revisions the transcript has seen, times. */
  text(value: string): string {
    if (rfc3339.test(value) || httpDate.test(value)) return '<time>'
    return value
      .replaceAll(this.#host, '<server>')
      .replace(openapiHash, 'hash=<hash>')
      .replace(uuid, (u) => this.#uid(u))
      .replace(revisionText, (r) => this.#revisions.get(r) ?? '<rv>')
  }

  /** A request line `METHOD path?query`: its revisions and continue tokens. */
  request(line: string): string {
    return this.text(
      line
        .replace(/(?<=[?&]resourceVersion=)\d+/g, (r) => (r === '0' ? r : this.revision(r)))
        .replace(/(?<=[?&]continue=)[^&]+/g, (c) => this.#continue(decodeURIComponent(c))),
    )
  }

  /** A JSON value from a body: every rule of the table, keys in their order. */
  json(value: unknown, key?: string): unknown {
    if (key === 'nodePort' && typeof value === 'number') return this.#nodePort(value)
    if (key === 'clusterIP' && typeof value === 'string') return this.#clusterIp(value)
    if (key === 'clusterIPs' && Array.isArray(value))
      return (value as unknown[]).map((ip) => (typeof ip === 'string' ? this.#clusterIp(ip) : ip))
    if (typeof value === 'string') {
      if (key === 'resourceVersion' && value !== '' && /^\d+$/.test(value)) {
        this.observe({ resourceVersion: value })
        return this.revision(value)
      }
      if (key === 'continue' && value !== '') return this.#continue(value)
      return this.text(value)
    }
    if (Array.isArray(value)) return value.map((item) => this.json(item))
    if (value === null || typeof value !== 'object') return value
    const record = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(record)) out[k] = this.json(v, k)
    const causes: unknown = out['causes']
    if (
      Array.isArray(causes) &&
      causes.every((c) => (c as Record<string, unknown>)['reason'] === 'FieldManagerConflict')
    ) {
      const text = (c: unknown): string =>
        JSON.stringify([
          (c as Record<string, unknown>)['field'],
          (c as Record<string, unknown>)['message'],
        ])
      out['causes'] = (causes as unknown[]).toSorted((a, b) => text(a).localeCompare(text(b)))
    }
    const managedFields: unknown = out['managedFields']
    if (Array.isArray(managedFields)) out['managedFields'] = inOneSecondOrder(managedFields)
    if (record['kind'] === 'Table') {
      normaliseAges(out)
      normaliseServiceCells(
        out,
        (ip) => this.#clusterIp(ip),
        (port) => this.#nodePort(port),
      )
    }
    const generateName = record['generateName']
    if (
      typeof generateName === 'string' &&
      typeof record['name'] === 'string' &&
      record['name'].startsWith(generateName)
    ) {
      out['name'] = `${generateName}<random>`
    }
    return out
  }

  /** The headers a client acts on, normalised. */
  headers(headers: Record<string, string | string[] | undefined>): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const name of keptHeaders) {
      const value = headers[name]
      if (value === undefined) continue
      if (name === 'etag') out[name] = '<etag>'
      else if (name === 'warning') out[name] = [value].flat().map((w) => this.text(w))
      else out[name] = this.text([value].flat().join(', '))
    }
    return out
  }
}

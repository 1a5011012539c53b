// The one normaliser of the server-parity suite. Two servers given the same requests answer
// with values no client can predict: a normalised transcript keeps everything else, and keeps
// the relations between the unpredictable values (the uid a Precondition names is the uid the
// create returned; a list's resourceVersion is the last write's).
//
// | value                                                     | becomes                          |
// | --------------------------------------------------------- | -------------------------------- |
// | a UUID anywhere (uids, in messages too)                   | `<uid-N>`, N by first appearance |
// | a `resourceVersion` value                                 | `<rv-N>`, N by first appearance  |
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

/** Renumbers unpredictable values of one transcript; see the table above. */
export class Normaliser {
  readonly #uids = new Map<string, string>()
  readonly #revisions = new Map<string, string>()
  readonly #continues = new Map<string, string>()
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

  #uid(value: string): string {
    let placeholder = this.#uids.get(value)
    if (placeholder === undefined) {
      placeholder = `<uid-${this.#uids.size + 1}>`
      this.#uids.set(value, placeholder)
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
    if (typeof value === 'string') {
      if (key === 'resourceVersion' && value !== '' && /^\d+$/.test(value))
        return this.revision(value)
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
    if (record['kind'] === 'Table') normaliseAges(out)
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

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ServedDocument } from '../src/served-document.js'

// A deferred document (a CRD group-version's) keeps only its JSON once the root has hashed it;
// whatever is asked first, it is built once, and the document a handler reads is the one whose
// bytes and hash are served.
const built = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
  paths: { '/apis/example.dev/v1/widgets': { get: { operationId: 'listExampleDevV1Widget' } } },
  components: { schemas: { 'dev.example.v1.Widget': { type: 'object', nullable: true } } },
}
const bytes = JSON.stringify(built)
const hash = createHash('sha512').update(bytes).digest('hex').toUpperCase()
// The same document built from parts, texts and UTF-8 bytes (as CRD texts come from the threads
// that read them), split anywhere.
const cut = [0, 1, 17, 60, bytes.length - 2, bytes.length]
const parts = cut
  .slice(1)
  .map((end, i) => bytes.slice(cut[i], end))
  .map((part, i) => (i % 2 === 0 ? Buffer.from(part) : part))

describe('ServedDocument.deferred', () => {
  it.each([
    { given: ['hash', 'document', 'bytes', 'document'], want: { builds: 1, bytes, hash } },
    { given: ['document', 'hash', 'bytes', 'document'], want: { builds: 1, bytes, hash } },
    { given: ['bytes', 'bytes', 'hash'], want: { builds: 1, bytes, hash } },
    { given: ['hash', 'bytes', 'document'], want: { builds: 1, bytes, hash } },
    { given: [], want: { builds: 0, bytes, hash } },
  ] as const)('asked for $given: built $want.builds time(s)', ({ given, want }) => {
    for (const form of [bytes, parts]) checkServed(form, given, want)
  })
})

function checkServed(
  form: string | (string | Uint8Array)[],
  given: readonly ('hash' | 'document' | 'bytes')[],
  want: { builds: number; bytes: string; hash: string },
): void {
  let builds = 0
  const served = ServedDocument.deferred(() => {
    builds += 1
    return form
  })
  const documents: unknown[] = []
  for (const what of given) {
    if (what === 'document') documents.push(served.document)
    else void served[what]
  }
  expect(builds).toBe(want.builds)
  // The same object each time a handler asks (its schema index and validators key on it).
  for (const document of documents) {
    expect(document).toEqual(built)
    expect(document).toBe(documents[0])
  }
  expect(served.bytes.toString()).toBe(want.bytes)
  expect(served.hash).toBe(want.hash)
}

// The Widget custom resource of fixtures/widgets-crd.json, and the OpenAPI v3 document a real
// kube-apiserver v1.37.2 published for it (GET /openapi/v3/apis/example.com/v1, recorded into
// fixtures/widgets-openapi-v3.json), shared by the table tests and the real-server comparison.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { OpenApiDocument, StatusCause } from '../src/index.js'

export const crdFile = fileURLToPath(new URL('fixtures/widgets-crd.json', import.meta.url))

export const widgetsDocument = JSON.parse(
  readFileSync(new URL('fixtures/widgets-openapi-v3.json', import.meta.url), 'utf8'),
) as OpenApiDocument

/** A Widget named `w` with this spec. */
export function widget(spec: unknown, metadata: Record<string, unknown> = { name: 'w' }): unknown {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata,
    ...(spec === undefined ? {} : { spec }),
  }
}

/** Causes in a stable order: the server walks Go maps, so its order between siblings varies. */
export function sortedCauses(causes: readonly StatusCause[]): StatusCause[] {
  const text = (c: StatusCause): string => `${c.field}\u0000${c.reason}\u0000${c.message}`
  return [...causes].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0))
}

// How server-side apply by kubectl takes over an object that client-side `kubectl apply` made:
// apimachinery pkg/util/managedfields/internal/lastappliedmanager.go (conflicts on fields the
// last-applied annotation still holds with the live value are no conflicts) and
// lastappliedupdater.go (the annotation follows each such apply), both only for the field
// manager `kubectl`, what `kubectl apply --server-side` sends.
import stableStringify from 'fast-json-stable-stringify'
import { isJsonObject, type JsonObject } from './_json.js'
import type { SchemaNode } from './_schema.js'
import { fieldSetOf, valueAt } from './managed-fields.js'
import { deepEqual } from './patch.js'

/** The annotation client-side `kubectl apply` keeps its last configuration in. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration'

// The field manager whose applies upgrade from client-side apply; another opts out.
const upgradingManager = 'kubectl'

// apimachinery pkg/api/validation/objectmeta.go TotalAnnotationSizeLimitB.
const annotationsLimitBytes = 256 * 1024

function annotationsOf(object: JsonObject | undefined): JsonObject | undefined {
  const meta = object?.['metadata']
  return isJsonObject(meta) && isJsonObject(meta['annotations']) ? meta['annotations'] : undefined
}

function lastAppliedOf(object: JsonObject | undefined): string | undefined {
  const value = annotationsOf(object)?.[lastAppliedAnnotation]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * The field paths (JSON texts, as `fieldSetOf` gives them) whose conflicts an apply by
 * `manager` may take over because the live object still holds the value its last-applied
 * annotation names (lastappliedmanager.go allowedConflictsFromLastApplied): empty for any other
 * manager, without the annotation, when it does not parse, or when it names another apiVersion.
 *
 * @example
 * allowedByLastApplied('kubectl', live, node, 'v1') // Set { '["f:data","f:a"]' }
 */
export function allowedByLastApplied(
  manager: string,
  live: JsonObject | undefined,
  node: SchemaNode,
  apiVersion: string,
): Set<string> {
  const text = manager === upgradingManager ? lastAppliedOf(live) : undefined
  if (text === undefined) return new Set()
  let lastApplied: unknown
  try {
    lastApplied = JSON.parse(text)
  } catch {
    return new Set()
  }
  if (!isJsonObject(lastApplied) || lastApplied['apiVersion'] !== apiVersion) return new Set()
  // A field the live object lacks or holds with another value is not the last-applied one.
  const allowed = new Set<string>()
  for (const member of fieldSetOf(lastApplied, node, 'all')) {
    const path = JSON.parse(member) as string[]
    const held = valueAt(live, path, node)
    if (held !== undefined && deepEqual(valueAt(lastApplied, path, node), held)) allowed.add(member)
  }
  return allowed
}

/**
 * After an apply by `manager`, sets the last-applied annotation of `object` (when it has one)
 * to the applied configuration, as lastappliedupdater.go does: the configuration without that
 * annotation, encoded as Go's JSON encoder writes an unstructured object (keys sorted, `<`, `>`,
 * `&` escaped, a final newline). An annotation that would pass the annotations' size limit is
 * dropped (lastapplied.go SetLastApplied).
 *
 * @example
 * syncLastApplied('kubectl', object, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '2' } })
 */
export function syncLastApplied(manager: string, object: JsonObject, config: JsonObject): void {
  const annotations = annotationsOf(object)
  if (manager !== upgradingManager || annotations === undefined) return
  if (lastAppliedOf(object) === undefined) return
  const applied = structuredClone(config)
  const appliedAnnotations = annotationsOf(applied)
  if (appliedAnnotations !== undefined) delete appliedAnnotations[lastAppliedAnnotation]
  annotations[lastAppliedAnnotation] = `${goJson(applied)}\n`
  const size = Object.entries(annotations).reduce(
    (total, [key, value]) =>
      total + Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : ''),
    0,
  )
  if (size > annotationsLimitBytes) delete annotations[lastAppliedAnnotation]
}

// encoding/json with SetEscapeHTML(true), the json.Encoder default: these characters appear
// only inside strings, where the escape reads back as the same text.
function goJson(value: unknown): string {
  return stableStringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

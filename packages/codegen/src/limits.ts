// Bounds on what one group-version may cost, and the checks that a document can be generated at
// all. A document that fails one is skipped — named, with the rule — and every other
// group-version is generated (the way kube-openapi keeps serving the rest when one aggregated
// API's spec cannot be merged: kube-aggregator pkg/controllers/openapiv3/aggregator).
import { DEFAULT_GENERATION_OPTIONS } from '@k8s-codegen/openapi/generation-options'
import { isDns1123Label, isDns1123Subdomain } from '@k8s-codegen/proxy-url'

import type { CodegenErrorCode } from './errors.js'
import { refName } from './normalize.js'
import type { GroupVersionInput, Schema } from './types.js'

/**
 * Limits of one group-version document. Defaults: 64 MiB, nesting 64.
 *
 * @example
 * const limits: GenerateLimits = { documentBytes: 128 * 1024 * 1024, depth: 100 }
 */
export interface GenerateLimits {
  /** Largest document, in bytes as served (`GroupVersionInput.bytes`). */
  documentBytes?: number
  /** Deepest schema nesting (properties, items, additionalProperties, allOf/anyOf/oneOf, not). */
  depth?: number
}

/** The default {@link GenerateLimits}: the generation options' defaults (one vocabulary). */
export const DEFAULT_LIMITS: Required<GenerateLimits> = {
  documentBytes: DEFAULT_GENERATION_OPTIONS.maxDocumentBytes,
  depth: DEFAULT_GENERATION_OPTIONS.maxDepth,
}

/** Why a group-version was not generated. */
export interface SkippedGroupVersion {
  key: string
  code: CodegenErrorCode
  reason: string
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const CHILD_MAPS = ['properties', 'patternProperties', 'definitions'] as const
const CHILD_LISTS = ['allOf', 'anyOf', 'oneOf'] as const
const CHILDREN = ['items', 'additionalProperties', 'not'] as const

/**
 * Walks a schema without recursion (no stack overflow on hostile nesting): returns the first
 * violation of the depth limit, and collects every `$ref` target.
 */
function walk(
  root: unknown,
  maxDepth: number,
  refs: Set<string>,
): { tooDeep: boolean; badRef: string | undefined } {
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [schema, depth] = stack.pop() as [unknown, number]
    if (!isObject(schema)) continue
    if (depth > maxDepth) return { tooDeep: true, badRef: undefined }
    if (typeof schema.$ref === 'string') {
      const name = refName(schema.$ref)
      if (name === undefined) return { tooDeep: false, badRef: schema.$ref }
      refs.add(name)
    }
    for (const key of CHILD_MAPS) {
      const map = schema[key]
      if (isObject(map)) for (const child of Object.values(map)) stack.push([child, depth + 1])
    }
    for (const key of CHILD_LISTS) {
      const list = schema[key]
      if (Array.isArray(list)) for (const child of list) stack.push([child, depth + 1])
    }
    for (const key of CHILDREN) stack.push([schema[key], depth + 1])
  }
  return { tooDeep: false, badRef: undefined }
}

/** What a document checked on its own yields: its schemas and the names they reference. */
export interface CheckedDocument {
  gv: GroupVersionInput
  schemas: Record<string, unknown>
  paths: Record<string, unknown>
  refs: Map<string, Set<string>>
}

/**
 * Checks what a group-version says of itself, before its document is read: its size and its
 * group and version names. Returns why it is skipped, or undefined.
 */
export function checkGroupVersion(
  gv: GroupVersionInput,
  limits: Required<GenerateLimits>,
): SkippedGroupVersion | undefined {
  const skip = (code: CodegenErrorCode, reason: string): SkippedGroupVersion => ({
    key: gv.key,
    code,
    reason,
  })
  if (gv.bytes !== undefined && gv.bytes > limits.documentBytes) {
    return skip(
      'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED',
      `the document is ${gv.bytes} bytes, over the limit of ${limits.documentBytes} (raise it with --max-document-bytes)`,
    )
  }
  // A group is '' or a DNS-1123 subdomain and a version a DNS-1123 label (apimachinery
  // pkg/api/validation ValidateGroupVersion as the aggregator checks APIService names).
  if (!(gv.group === '' || isDns1123Subdomain(gv.group)) || !isDns1123Label(gv.version)) {
    return skip(
      'K8S_CODEGEN_CODEGEN_INVALID_NAME',
      `group ${JSON.stringify(gv.group)} / version ${JSON.stringify(gv.version)} is not a DNS-1123 subdomain / label`,
    )
  }
  return undefined
}

/**
 * Checks one document on its own, after {@link checkGroupVersion}: shape, nesting depth and
 * `$ref` syntax. Returns the document's parts, or why it is skipped.
 */
export function checkDocument(
  gv: GroupVersionInput,
  doc: unknown,
  limits: Required<GenerateLimits>,
): CheckedDocument | SkippedGroupVersion {
  const skip = (code: CodegenErrorCode, reason: string): SkippedGroupVersion => ({
    key: gv.key,
    code,
    reason,
  })
  if (!isObject(doc) || !isObject(doc.components) || !isObject(doc.components.schemas)) {
    return skip(
      'K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT',
      `the document is not an OpenAPI 3 object with components.schemas (expected the /openapi/v3/${gv.key} shape)`,
    )
  }
  const schemas = doc.components.schemas
  const refs = new Map<string, Set<string>>()
  for (const name of Object.keys(schemas)) {
    const found = new Set<string>()
    const { tooDeep, badRef } = walk(schemas[name], limits.depth, found)
    if (tooDeep) {
      return skip(
        'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED',
        `schema ${JSON.stringify(name)} nests deeper than ${limits.depth} levels (raise it with --max-depth)`,
      )
    }
    if (badRef !== undefined) {
      return skip(
        'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF',
        `schema ${JSON.stringify(name)} has $ref ${JSON.stringify(badRef)}, which is not #/components/schemas/<name>`,
      )
    }
    refs.set(name, found)
  }
  return { gv, schemas, paths: isObject(doc.paths) ? doc.paths : {}, refs }
}

/**
 * The first `$ref` of a document that names a schema none of `defined` has, or undefined.
 *
 * @example
 * danglingRef(checked, new Set(['io.k8s.api.core.v1.Pod']))
 */
export function danglingRef(
  doc: Pick<CheckedDocument, 'refs'>,
  defined: ReadonlySet<string>,
): { schema: string; ref: string } | undefined {
  for (const [schema, refs] of doc.refs) {
    for (const ref of refs) if (!defined.has(ref)) return { schema, ref }
  }
  return undefined
}

// Internal: client-side validation (`validate: true`), as kubectl validates a manifest against
// the cluster's OpenAPI v3 document of its group-version before sending it (kubectl
// `pkg/cmd/util` Factory.Validator → kube-openapi `pkg/util/proto/validation` on `/openapi/v3`),
// with @k8s-codegen/validation answering the Status the apiserver would. The library is loaded
// on first use only, so a client that never validates never loads it.
//
// Validated: create and replace, whose body is the whole object the server validates. Not
// validated: patches and server-side apply (the server validates the result of merging them with
// the live object, which the client does not have) and status writes (the server validates only
// `status` there, against the status schema).
import type { ResourceInfo } from '@k8s-codegen/runtime'
import type { OpenApiDocument } from '@k8s-codegen/validation'

import { groupVersionKeyOf, redactOf, type ClientContext } from './_transport.js'
import { ClientError } from './errors.js'
import { statusError } from './status.js'

/** Where validation's documents come from, and what was fetched (per client). */
export interface ValidationState {
  /** given documents by group-version key (`api/v1`, `apis/apps/v1`): never fetch */
  readonly given: Readonly<Record<string, unknown>> | undefined
  /** the last `/openapi/v3` index read: key → hash */
  index: { readAt: number; hashes: Promise<ReadonlyMap<string, string>> } | undefined
  /** documents by `<key>?hash=<hash>`, as the index names them */
  readonly documents: Map<string, Promise<OpenApiDocument>>
}

/**
 * A fresh validation state for a client.
 *
 * @example
 * const validation = validationState(options.validationDocuments)
 */
export function validationState(given: ValidationState['given']): ValidationState {
  return { given, index: undefined, documents: new Map() }
}

// A CRD installed or changed after the index was read appears in a newer index: an index this old
// is read again (kubectl reads it once per command).
const indexMaxAgeMs = 30_000
// Group-versions × schema changes a long-lived client keeps documents for.
const maxDocuments = 64

// kube-openapi `pkg/handler3` handleDiscovery: `{ paths: { "<key>": { serverRelativeURL:
// "/openapi/v3/<key>?hash=<HASH>" } } }`. Only the hash is read: the document is requested at a
// path the client builds from the descriptor, never at a URL the server names.
function parseIndex(bytes: Uint8Array): Map<string, string> {
  const root = JSON.parse(new TextDecoder().decode(bytes)) as { paths?: unknown }
  const hashes = new Map<string, string>()
  if (typeof root.paths !== 'object' || root.paths === null) return hashes
  for (const [key, entry] of Object.entries(root.paths as Record<string, unknown>)) {
    const relative = (entry as { serverRelativeURL?: unknown } | null)?.serverRelativeURL
    const hash =
      typeof relative === 'string' ? /[?&]hash=([0-9A-Fa-f]+)(&|$)/.exec(relative)?.[1] : undefined
    if (hash !== undefined) hashes.set(key, hash)
  }
  return hashes
}

function unavailable(resource: ResourceInfo, why: string, cause?: unknown): ClientError {
  return new ClientError(
    'K8S_CODEGEN_CLIENT_VALIDATION_UNAVAILABLE',
    `validate ${resource.kind} (${resource.apiVersion}): ${why}; send it without validate: true, or pass the group-version's document in createClient({ validationDocuments })`,
    cause === undefined ? undefined : { cause },
  )
}

async function getJson(context: ClientContext, path: string, resource: ResourceInfo) {
  const response = await context.connection.send(path, {
    method: 'GET',
    accept: 'application/json',
  })
  if (response.status !== 200)
    throw unavailable(resource, `GET ${path} answered ${response.status}`)
  return response.body
}

async function hashesOf(
  context: ClientContext,
  resource: ResourceInfo,
  key: string,
): Promise<ReadonlyMap<string, string>> {
  const state = context.validation
  const fresh = state.index !== undefined && Date.now() - state.index.readAt < indexMaxAgeMs
  if (fresh && state.index !== undefined) {
    const hashes = await state.index.hashes
    if (hashes.has(key)) return hashes
  }
  const hashes = getJson(context, '/openapi/v3', resource).then(parseIndex)
  state.index = { readAt: Date.now(), hashes }
  // A failed read is not remembered: the next validation reads the index again.
  hashes.catch(() => (state.index = undefined))
  return hashes
}

// undefined: the cluster's /openapi/v3 does not list the group-version (not served, or served by
// an aggregated apiserver that publishes none): the server is left to answer.
async function documentOf(
  context: ClientContext,
  resource: ResourceInfo,
): Promise<OpenApiDocument | undefined> {
  const key = groupVersionKeyOf(resource)
  const state = context.validation
  if (state.given !== undefined) {
    const document = Object.hasOwn(state.given, key) ? state.given[key] : undefined
    if (typeof document !== 'object' || document === null)
      throw unavailable(resource, `validationDocuments has no document for ${key}`)
    return document
  }
  const hash = (await hashesOf(context, resource, key)).get(key)
  if (hash === undefined) return undefined
  const path = `/openapi/v3/${key}?hash=${hash}`
  let pending = state.documents.get(path)
  if (pending === undefined) {
    pending = getJson(context, path, resource).then(
      (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as OpenApiDocument,
    )
    state.documents.set(path, pending)
    pending.catch(() => state.documents.delete(path))
    // Oldest first (Map order): a long-lived client keeps the newest documents.
    for (const stale of [...state.documents.keys()].slice(0, -maxDocuments))
      state.documents.delete(stale)
  }
  return pending
}

/** What a validated write is about. */
export interface ValidatedWrite {
  readonly resource: ResourceInfo
  readonly body: unknown
  readonly validate: boolean | undefined
  readonly fieldValidation: 'Strict' | 'Warn' | 'Ignore' | undefined
  readonly method: 'POST' | 'PUT'
  /** the path and query the request would go to, for the error's message */
  readonly path: string
}

/**
 * Throws the StatusError the apiserver would answer `write` with, before anything is sent, when
 * validation is on (the call's `validate`, else the client's) and a document describes the
 * group-version: a built-in kind's value of the wrong JSON type is the decoder's 400, under
 * `fieldValidation: 'Strict'` unknown fields are the 400 strict decoding error (under Warn the server's warnings are left to
 * it), then the 422 Invalid.
 */
export async function validateBeforeSending(
  context: ClientContext,
  write: ValidatedWrite,
): Promise<void> {
  if (!(write.validate ?? context.validate)) return
  const document = await documentOf(context, write.resource)
  if (document === undefined) return
  const library = await import('@k8s-codegen/validation')
  let status: object | undefined
  try {
    const undecodable = library.findDecodeError(document, write.body)
    const unknown =
      undecodable !== undefined || write.fieldValidation !== 'Strict'
        ? []
        : library.findUnknownFields(document, write.body)
    status =
      undecodable ??
      (unknown.length > 0
        ? library.newStrictDecodingError(
            write.resource.kind,
            write.resource.version,
            unknown.map((u) => u.message),
          )
        : library.validateObject(document, write.body))
  } catch (error) {
    // The document has no schema for the kind, or the object cannot be validated at all.
    if (error instanceof library.ValidationError)
      throw unavailable(write.resource, error.message, error)
    throw error
  }
  if (status !== undefined)
    throw statusError(
      status,
      { method: write.method, path: write.path },
      undefined,
      redactOf(context),
    )
}

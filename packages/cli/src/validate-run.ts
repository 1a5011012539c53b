// `validate`'s work: read each manifest, find its kind's schema, and ask @k8s-codegen/validation
// what kube-apiserver would answer a create with. The order of the server's handler is kept: the
// body is decoded first (a built-in kind's value of the wrong JSON type: the 400 of Go's decoder;
// unknown fields: a warning each by default, the 400 strict decoding error with
// fieldValidation=Strict, apiserver pkg/endpoints/handlers/create.go and the CR codec's strict
// decoding), then the strategy validates (the 422 Invalid Status).
import type { CrdReadLimits } from '@k8s-codegen/openapi'
import type { newStrictDecodingError, Status } from '@k8s-codegen/validation'

import { listManifestFiles, readManifestFile, type ManifestFile } from './validate-inputs.js'
import { groupVersionKeyOf, type Schemas } from './validate-schemas.js'

/**
 * The 400 of a body the server cannot decode: a value of the wrong JSON type for a built-in
 * kind's Go field, or unknown fields under `fieldValidation=Strict`.
 *
 * @example
 * const s: StrictStatus = newStrictDecodingError('Widget', 'v1', ['unknown field "spec.x"'])
 */
export type StrictStatus = ReturnType<typeof newStrictDecodingError>

/**
 * What became of one object (or one document that held none).
 *
 * @example
 * const r: DocumentResult = { index: 0, object: 'Widget w', outcome: 'valid', warnings: [] }
 */
export type DocumentResult = {
  index: number
  item?: number
  /** `<Kind> <name>` when the document had them. */
  object: string | undefined
  /** Unknown fields the server would warn about (`unknown field "spec.x"`), without --strict. */
  warnings: string[]
} & (
  | { outcome: 'valid' }
  | { outcome: 'invalid'; status: Status | StrictStatus }
  | { outcome: 'unusable'; message: string; noSchema?: boolean }
)

/**
 * One file's results, in document order.
 *
 * @example
 * const f: FileResult = { name: 'manifests/a.yaml', documents: [] }
 */
export interface FileResult {
  name: string
  documents: DocumentResult[]
}

/**
 * The options of {@link runValidate}.
 *
 * @example
 * const options: ValidateOptions = { inputs: ['manifests'], cwd: '/repo', strict: false, limits, stdin: undefined, schemas }
 */
export interface ValidateOptions {
  inputs: readonly string[]
  cwd: string
  strict: boolean
  limits: CrdReadLimits
  stdin: AsyncIterable<Uint8Array> | undefined
  schemas: Schemas
  /** Called after each file with the files done and in all. */
  onFile?: (done: number, total: number, invalid: number) => void
}

const describeObject = (value: Record<string, unknown>): string | undefined => {
  const metadata = value.metadata as { name?: unknown; generateName?: unknown } | undefined
  const name = metadata?.name ?? metadata?.generateName
  if (typeof value.kind !== 'string') return undefined
  return typeof name === 'string' ? `${value.kind} ${name}` : value.kind
}

async function validateOne(
  value: Record<string, unknown>,
  options: ValidateOptions,
): Promise<
  | { outcome: 'valid'; warnings: string[] }
  | { outcome: 'invalid'; status: Status | StrictStatus; warnings: string[] }
  | { outcome: 'unusable'; message: string; noSchema?: boolean; warnings: string[] }
> {
  const {
    findDecodeError,
    findUnknownFields,
    isK8sCodegenError,
    newStrictDecodingError,
    validateObject,
  } = await import('@k8s-codegen/validation')
  const { apiVersion, kind } = value
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
    // kubectl-validate pkg/validator/validator.go Parse: "GVK cannot be empty".
    return { outcome: 'unusable', message: 'apiVersion and kind must be set', warnings: [] }
  }
  // kubectl-validate's words for a group-version no source has and for a kind its document
  // lacks (pkg/validator/validator.go infoForGVK), so its JSON output is the same; the text
  // output adds where we looked (`noSchema`).
  const notFound = (message: string) => ({
    outcome: 'unusable' as const,
    message: `failed to retrieve validator: ${message}`,
    noSchema: true,
    warnings: [],
  })
  const document = await options.schemas.documentFor(groupVersionKeyOf(apiVersion))
  if (document === undefined) return notFound(`failed to locate OpenAPI spec for GV: ${apiVersion}`)
  try {
    // A built-in kind's value of the wrong JSON type fails the decoder first (400 BadRequest).
    const undecodable = findDecodeError(document, value)
    if (undecodable !== undefined) return { outcome: 'invalid', status: undecodable, warnings: [] }
    const unknown = findUnknownFields(document, value).map((f) => f.message)
    if (options.strict && unknown.length > 0) {
      const version = apiVersion.slice(apiVersion.lastIndexOf('/') + 1)
      return {
        outcome: 'invalid',
        status: newStrictDecodingError(kind, version, unknown),
        warnings: [],
      }
    }
    const { kubeVersion } = options.schemas
    const status = validateObject(document, value, kubeVersion === undefined ? {} : { kubeVersion })
    return status === undefined
      ? { outcome: 'valid', warnings: unknown }
      : { outcome: 'invalid', status, warnings: unknown }
  } catch (error) {
    if (!isK8sCodegenError(error)) throw error
    if (error.code === 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND')
      return notFound(`kind ${kind} not found in ${apiVersion} groupversion`)
    return { outcome: 'unusable', message: error.message, warnings: [] }
  }
}

async function validateFile(file: ManifestFile, options: ValidateOptions): Promise<FileResult> {
  const documents: DocumentResult[] = []
  if (file.unusable !== undefined) {
    documents.push({
      index: 0,
      object: undefined,
      warnings: [],
      outcome: 'unusable',
      message: file.unusable,
    })
  }
  for (const document of file.documents) {
    const where = document.item === undefined ? {} : { item: document.item }
    if ('unusable' in document) {
      documents.push({
        index: document.index,
        ...where,
        object: undefined,
        warnings: [],
        outcome: 'unusable',
        message: document.unusable,
      })
      continue
    }
    const result = await validateOne(document.value, options)
    documents.push({
      index: document.index,
      ...where,
      object: describeObject(document.value),
      ...result,
    })
  }
  return { name: file.name, documents }
}

/**
 * Validates every object the inputs hold, file by file (each read, parsed and dropped before
 * the next, so memory follows the largest file, not the tree). A pattern that names no file is
 * an error; anything wrong inside a file is that document's result.
 *
 * @example
 * const files = await runValidate({ inputs: ['manifests'], cwd, strict: false, limits, stdin: undefined, schemas })
 */
export async function runValidate(options: ValidateOptions): Promise<FileResult[]> {
  const files = await listManifestFiles(options.inputs, options.cwd)
  const budget = { remaining: options.limits.totalBytes }
  const results: FileResult[] = []
  let invalid = 0
  for (const file of files) {
    const read = await readManifestFile(file, {
      limits: options.limits,
      budget,
      stdin: options.stdin,
    })
    const result = await validateFile(read, options)
    invalid += result.documents.filter((d) => d.outcome !== 'valid').length
    results.push(result)
    options.onFile?.(results.length, files.length, invalid)
  }
  return results
}

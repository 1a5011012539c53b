import { readFile, stat } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { isJsonObject } from '../_canonical-json.js'
import { OpenApiError } from '../errors.js'
import type { JsonObject } from '../types.js'
import { findCrdFiles } from './find-files.js'

// Reading CustomResourceDefinition documents from files the user names: YAML or JSON,
// multi-document files, `kind: List` (as `kubectl get crd -o yaml` prints), directories walked
// recursively for `*.yaml|*.yml|*.json`, and globs (which files: `find-files.ts`). Every byte is hostile: files, documents and
// aliases are bounded, and a refusal names the file and the document index.

/** Largest CRD file read (the apiserver's own request limit is 3 MiB; bundles are larger). */
export const MAX_CRD_FILE_BYTES = 32 * 1024 * 1024
const MAX_DOCUMENTS_PER_FILE = 10_000

/**
 * Where a document came from: the file and its index among the file's documents (0-based), and
 * for an item of a `kind: List` document, its index in `items`.
 *
 * @example
 * const where: CrdLocation = { file: 'crds/all.yaml', index: 2, item: 5 }
 */
export interface CrdLocation {
  file: string
  index: number
  item?: number
}

/**
 * A location as messages print it: `crds/all.yaml document 2 item 5`.
 *
 * @example
 * describeLocation({ file: 'a.yaml', index: 0 }) // 'a.yaml document 0'
 */
export function describeLocation(where: CrdLocation): string {
  const item = where.item === undefined ? '' : ` item ${where.item}`
  return `${where.file} document ${where.index}${item}`
}

/**
 * One parsed document that claims to be a CustomResourceDefinition, not yet validated.
 *
 * @example
 * const doc: CrdDocument = { where: { file: 'a.yaml', index: 0 }, value: { kind: 'CustomResourceDefinition' } }
 */
export interface CrdDocument {
  where: CrdLocation
  value: JsonObject
}

/**
 * What {@link parseCrdDocuments} and {@link readCrdFiles} found.
 *
 * @example
 * const { documents, skipped } = parseCrdDocuments(text, 'crds.yaml')
 */
export interface CrdDocuments {
  documents: CrdDocument[]
  /** Documents that are not CustomResourceDefinitions (a Deployment in the same file, …). */
  skipped: number
  /** The files read, relative to the working directory, sorted. */
  files: string[]
}

function refuse(where: string, rule: string): OpenApiError {
  return new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_INVALID', `${where}: ${rule}`)
}

function isCrdKind(value: JsonObject): boolean {
  return value.kind === 'CustomResourceDefinition'
}

function collect(value: unknown, where: CrdLocation, out: CrdDocuments): void {
  // An empty document (`---` at the end of a file) is nothing, not a skipped object.
  if (value === null || value === undefined) return
  if (!isJsonObject(value)) {
    throw refuse(describeLocation(where), 'a document must be a mapping (an object)')
  }
  if (value.kind === 'List' || (typeof value.kind === 'string' && value.kind.endsWith('List'))) {
    if (value.items !== undefined && !Array.isArray(value.items)) {
      throw refuse(describeLocation(where), `items of a ${String(value.kind)} must be a list`)
    }
    const items = (value.items ?? []) as unknown[]
    items.forEach((item, i) => {
      if (!isJsonObject(item)) {
        throw refuse(describeLocation({ ...where, item: i }), 'a list item must be a mapping')
      }
      if (isCrdKind(item)) out.documents.push({ where: { ...where, item: i }, value: item })
      else out.skipped++
    })
    return
  }
  if (isCrdKind(value)) out.documents.push({ where, value })
  else out.skipped++
}

/**
 * Parses the documents of one file's text (YAML, which includes JSON) and keeps the
 * CustomResourceDefinitions, counting the other documents as skipped. `file` only names the
 * file in errors. A YAML syntax error, a non-mapping document or too many documents is refused
 * with `K8S_CODEGEN_OPENAPI_CRD_INVALID`.
 *
 * @example
 * const { documents, skipped } = parseCrdDocuments('kind: ConfigMap\n---\nkind: CustomResourceDefinition\n', 'a.yaml')
 * // documents[0].where → { file: 'a.yaml', index: 1 }, skipped → 1
 */
export function parseCrdDocuments(text: string, file: string): CrdDocuments {
  const out: CrdDocuments = { documents: [], skipped: 0, files: [file] }
  // maxAliasCount bounds the "billion laughs" expansion of anchors and aliases.
  const parsed = parseAllDocuments(text, { prettyErrors: false })
  const docs = Array.isArray(parsed) ? parsed : [parsed]
  if (docs.length > MAX_DOCUMENTS_PER_FILE) {
    throw refuse(file, `more than ${MAX_DOCUMENTS_PER_FILE} documents in one file`)
  }
  docs.forEach((doc, index) => {
    const where = { file, index }
    const error = doc.errors[0]
    if (error !== undefined) {
      // The message names the line; the line's text is not repeated.
      const line = text.slice(0, error.pos[0]).split('\n').length
      throw refuse(describeLocation(where), `not valid YAML (line ${line}): ${error.code}`)
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: 100 })
    } catch (cause) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_INVALID',
        `${describeLocation(where)}: ${(cause as Error).message}`,
        { cause },
      )
    }
    collect(value, where, out)
  })
  return out
}

/**
 * Reads the CustomResourceDefinitions named by files, directories (recursively: `*.yaml`,
 * `*.yml`, `*.json`) and globs (`crds/**\/*.yaml`), relative to `cwd`. Non-CRD documents are
 * counted in `skipped`. A path that does not exist, or a glob that matches nothing, is refused
 * with `K8S_CODEGEN_OPENAPI_CRD_MISSING`; a file larger than {@link MAX_CRD_FILE_BYTES}, not
 * UTF-8 text or not YAML, with `K8S_CODEGEN_OPENAPI_CRD_INVALID`.
 *
 * @example
 * const { documents, skipped, files } = await readCrdFiles(['crds/', 'charts/*\/crds/*.yaml'], { cwd: process.cwd() })
 */
export async function readCrdFiles(
  patterns: readonly string[],
  options: { cwd: string },
): Promise<CrdDocuments> {
  const out: CrdDocuments = { documents: [], skipped: 0, files: [] }
  const seen = new Set<string>()
  for (const pattern of patterns) {
    const files = await findCrdFiles(pattern, options.cwd)
    if (files.length === 0) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_MISSING',
        `--crds ${pattern}: matches no .yaml, .yml or .json file`,
      )
    }
    for (const path of files) {
      if (seen.has(path)) continue
      seen.add(path)
      const name = relative(options.cwd, path).split(sep).join('/') || path
      const info = await stat(path)
      if (info.size > MAX_CRD_FILE_BYTES) {
        throw refuse(name, `larger than ${MAX_CRD_FILE_BYTES} bytes`)
      }
      const bytes = await readFile(path)
      let text: string
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
      } catch {
        throw refuse(name, 'not UTF-8 text')
      }
      const parsed = parseCrdDocuments(text, name)
      out.documents.push(...parsed.documents)
      out.skipped += parsed.skipped
      out.files.push(name)
    }
  }
  out.files.sort()
  return out
}

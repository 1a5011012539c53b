import { relative, sep } from 'node:path'
import { isJsonObject } from '../_canonical-json.js'
import { OpenApiError } from '../errors.js'
import type { JsonObject } from '../types.js'
import { CRD_NAMING, findCrdFiles, type FileNaming } from './find-files.js'
import { DEFAULT_CRD_READ_LIMITS, type CrdReadLimits } from './read-limits.js'
import { sha512Hex } from '../hash.js'
import { decodeCrdText, readCrdBytes, type ReadBudget } from './read-text.js'
import { parseYamlDocuments } from './yaml-documents.js'

// Reading CustomResourceDefinition documents from files the user names: YAML or JSON,
// multi-document files, `kind: List` (as `kubectl get crd -o yaml` prints), directories walked
// recursively for `*.yaml|*.yml|*.json`, and globs (which files: `find-files.ts`). Every byte is
// hostile: bytes, documents and expanded aliases are bounded while reading (read-limits.ts), and
// a refusal names the file and the document index.

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
  /** Each file read → the uppercase hex SHA-512 of its bytes. */
  hashes: Map<string, string>
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
 * file in errors. A YAML syntax error or a non-mapping document is refused with
 * `K8S_CODEGEN_OPENAPI_CRD_INVALID`; more documents than `limits.documents` (counted while
 * splitting, before parsing) or a document over `limits.expandedBytes` with its aliases
 * expanded, with `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE`.
 *
 * @example
 * const { documents, skipped } = await parseCrdDocuments('kind: ConfigMap\n---\nkind: CustomResourceDefinition\n', 'a.yaml')
 * // documents[0].where → { file: 'a.yaml', index: 1 }, skipped → 1
 */
export async function parseCrdDocuments(
  text: string,
  file: string,
  limits: CrdReadLimits = DEFAULT_CRD_READ_LIMITS,
): Promise<CrdDocuments> {
  const out: CrdDocuments = { documents: [], skipped: 0, files: [file], hashes: new Map() }
  for await (const { value, index } of parseYamlDocuments(text, file, limits)) {
    collect(value, { file, index }, out)
  }
  return out
}

/**
 * Reads the CustomResourceDefinitions named by files, directories (recursively: `*.yaml`,
 * `*.yml`, `*.json`) and globs (`crds/**\/*.yaml`), relative to `cwd`. Non-CRD documents are
 * counted in `skipped`. A path that does not exist, or a glob that matches nothing, is refused
 * with `K8S_CODEGEN_OPENAPI_CRD_MISSING`; a file that is not UTF-8 text or not YAML, with
 * `K8S_CODEGEN_OPENAPI_CRD_INVALID`; input over one of `options.limits` (default
 * {@link DEFAULT_CRD_READ_LIMITS}), with `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE`, as soon as it is.
 *
 * @example
 * const { documents, skipped, files } = await readCrdFiles(['crds/', 'charts/*\/crds/*.yaml'], { cwd: process.cwd() })
 */
export async function readCrdFiles(
  patterns: readonly string[],
  options: { cwd: string; limits?: Partial<CrdReadLimits> | undefined },
): Promise<CrdDocuments> {
  const out: CrdDocuments = { documents: [], skipped: 0, files: [], hashes: new Map() }
  for await (const file of eachCrdFile(patterns, options)) {
    out.hashes.set(file.name, file.hash)
    out.documents.push(...file.documents)
    out.skipped += file.skipped
    out.files.push(file.name)
  }
  out.files.sort()
  return out
}

/**
 * {@link readCrdFiles} one file at a time, in the order read: a caller that lets each file's
 * documents go before the next holds one file's parsed documents at a time.
 *
 * @example
 * for await (const { name, hash, documents } of eachCrdFile(['crds/'], { cwd })) console.log(name, documents.length)
 */
export async function* eachCrdFile(
  patterns: readonly string[],
  options: { cwd: string; limits?: Partial<CrdReadLimits> | undefined },
): AsyncGenerator<{ name: string; hash: string; documents: CrdDocument[]; skipped: number }> {
  const limits: CrdReadLimits = { ...DEFAULT_CRD_READ_LIMITS, ...options.limits }
  const budget: ReadBudget = { remaining: limits.totalBytes }
  for (const { path, name } of await listCrdFiles(patterns, options.cwd)) {
    const bytes = readCrdBytes(path, name, limits, budget)
    const hash = sha512Hex(bytes)
    const { documents, skipped } = await parseCrdDocuments(decodeCrdText(bytes, name), name, limits)
    yield { name, hash, documents, skipped }
  }
}

/**
 * The files `patterns` name (see {@link readCrdFiles}), each once, in the order given, with its
 * name relative to `cwd` as messages print it. A pattern that matches nothing is refused with
 * `K8S_CODEGEN_OPENAPI_CRD_MISSING`. `naming` words the messages for another caller than `--crds`
 * (`validate`'s manifests, found as `kubectl apply -f <path> -R` finds them).
 *
 * @example
 * const files = await listCrdFiles(['crds/'], process.cwd()) // [{ path: '/repo/crds/a.yaml', name: 'crds/a.yaml' }]
 */
export async function listCrdFiles(
  patterns: readonly string[],
  cwd: string,
  naming: FileNaming = CRD_NAMING,
): Promise<{ path: string; name: string }[]> {
  const out: { path: string; name: string }[] = []
  const seen = new Set<string>()
  for (const pattern of patterns) {
    const files = await findCrdFiles(pattern, cwd, naming)
    if (files.length === 0) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_MISSING',
        `${naming.flag} ${pattern}: matches no .yaml, .yml or .json file`,
      )
    }
    for (const path of files) {
      if (seen.has(path)) continue
      seen.add(path)
      out.push({ path, name: relative(cwd, path).split(sep).join('/') || path })
    }
  }
  return out
}

// The manifests `validate` reads: files, directories and globs found as `kubectl apply -f <path>
// -R` finds them (@k8s-codegen/openapi `listCrdFiles`: a directory is walked for .yaml, .yml and
// .json, a symlinked directory is never descended, so no walk loops), or `-` for stdin. Each file
// is read under the same bounds as CRD files (openapi `read-limits.ts`) and split into documents;
// a document that cannot be used (bad YAML, not a mapping, too large) is named with its reason and
// the rest of the run goes on, as kubectl-validate reports a bad document and goes on
// (sigs.k8s.io/kubectl-validate pkg/cmd/validate.go ValidateFile).
import type { CrdReadLimits, ReadBudget } from '@k8s-codegen/openapi'

/**
 * One object to validate, or why a document cannot be validated. `item` is its index in the
 * `items` of a `kind: List` document.
 *
 * @example
 * const doc: ManifestDocument = { index: 0, value: { apiVersion: 'v1', kind: 'ConfigMap' } }
 */
export type ManifestDocument =
  | { index: number; item?: number; value: Record<string, unknown> }
  | { index: number; item?: number; unusable: string }

/**
 * A file (or stdin, named `-`) and its documents, in order.
 *
 * @example
 * const file: ManifestFile = { name: 'manifests/web.yaml', documents: [], unusable: undefined }
 */
export interface ManifestFile {
  name: string
  documents: ManifestDocument[]
  /** Set when the file itself could not be read or split (too large, not UTF-8, unreadable). */
  unusable: string | undefined
}

/** `validate`'s name for stdin, as kubectl names it in `-f -`. */
export const STDIN = '-'

/**
 * What `main()` passes yargs for a lone `-` argument: yargs drops `-` from a variadic positional
 * (its second parse reads it as an empty flag), and a path never holds a NUL.
 *
 * @example
 * argv.map((a) => (a === STDIN ? STDIN_ARG : a))
 */
export const STDIN_ARG = '\u0000-'

const NAMING = { flag: 'validate', files: 'manifest files' }

/**
 * The files the arguments name, each once and in the order given (`-` is stdin, once).
 *
 * @example
 * await listManifestFiles(['manifests/', '-'], process.cwd()) // [{ path: '/repo/manifests/a.yaml', name: 'manifests/a.yaml' }, { path: '-', name: '-' }]
 */
export async function listManifestFiles(
  args: readonly string[],
  cwd: string,
): Promise<{ path: string; name: string }[]> {
  const { listCrdFiles } = await import('@k8s-codegen/openapi')
  const out: { path: string; name: string }[] = []
  let stdin = false
  for (const arg of args) {
    if (arg === STDIN || arg === STDIN_ARG) {
      if (!stdin) out.push({ path: STDIN, name: STDIN })
      stdin = true
      continue
    }
    for (const file of await listCrdFiles([arg], cwd, NAMING)) {
      if (!out.some((f) => f.path === file.path)) out.push(file)
    }
  }
  return out
}

// Stdin read under the same byte bounds as a file (a pipe from /dev/zero stops at the limit).
async function readStdin(
  stdin: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: CrdReadLimits,
  budget: ReadBudget,
): Promise<Buffer> {
  const { overLimit } = await import('@k8s-codegen/openapi')
  const cap = Math.min(limits.fileBytes, budget.remaining)
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stdin) {
    chunks.push(Buffer.from(chunk))
    total += chunk.length
    if (total > cap)
      throw overLimit(STDIN, total > limits.fileBytes ? 'fileBytes' : 'totalBytes', limits)
  }
  budget.remaining -= total
  return Buffer.concat(chunks, total)
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

// A `kind: List` (or `<Kind>List`, as `kubectl get -o yaml` prints) is its items, one by one, as
// kubectl's resource builder flattens it (cli-runtime pkg/resource visitor.go FlattenListVisitor).
function collect(value: unknown, index: number, out: ManifestDocument[]): void {
  if (value === null || value === undefined) return
  if (!isMapping(value)) {
    out.push({ index, unusable: 'a document must be a mapping (an object)' })
    return
  }
  const kind = value.kind
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((item: unknown, i) => {
      if (isMapping(item)) out.push({ index, item: i, value: item })
      else out.push({ index, item: i, unusable: 'a list item must be a mapping (an object)' })
    })
    return
  }
  out.push({ index, value })
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

/**
 * Reads and parses one manifest file: JSON for `.json` (one document, as kubectl-validate reads
 * it), else a YAML stream. A bad document is kept as `unusable` with its reason (the file, its
 * line and column); a file that cannot be read at all sets `unusable` on the file.
 *
 * @example
 * const file = await readManifestFile({ path: '/repo/a.yaml', name: 'a.yaml' }, { limits, budget, stdin: process.stdin })
 */
export async function readManifestFile(
  file: { path: string; name: string },
  options: {
    limits: CrdReadLimits
    budget: ReadBudget
    stdin: AsyncIterable<Uint8Array> | undefined
  },
): Promise<ManifestFile> {
  const { decodeCrdText, parseYamlDocument, readCrdBytes, splitYamlDocuments } =
    await import('@k8s-codegen/openapi')
  const { limits, budget } = options
  const out: ManifestFile = { name: file.name, documents: [], unusable: undefined }
  let text: string
  try {
    const bytes =
      file.path === STDIN
        ? await readStdin(options.stdin ?? [], limits, budget)
        : readCrdBytes(file.path, file.name, limits, budget)
    text = decodeCrdText(bytes, file.name)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    out.unusable =
      typeof code === 'string' && !code.startsWith('K8S_CODEGEN_')
        ? `${file.name}: cannot be read (${code})`
        : messageOf(error)
    return out
  }
  if (/\.json$/i.test(file.name)) {
    try {
      collect(JSON.parse(text), 0, out.documents)
    } catch (error) {
      out.documents.push({
        index: 0,
        unusable: `${file.name}: not valid JSON: ${messageOf(error)}`,
      })
    }
    return out
  }
  try {
    for (const document of splitYamlDocuments(text, file.name, limits)) {
      try {
        collect(await parseYamlDocument(document, file.name, limits), document.index, out.documents)
      } catch (error) {
        out.documents.push({ index: document.index, unusable: messageOf(error) })
      }
    }
  } catch (error) {
    // More documents than the limit: the file is refused, as it would be for --crds.
    out.unusable = messageOf(error)
  }
  return out
}

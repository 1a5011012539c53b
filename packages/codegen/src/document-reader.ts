// Where the generator reads documents from: the input's own object, or its `load()` (the CLI's
// verified read from the lockfile's cache). Planning reads each document once and keeps only
// summaries (plan.ts SchemaSummary); printing reads it again when its modules are printed, so
// only a few documents are alive at a time however many the input has.
import { CodegenError } from './errors.js'
import { summarize, type PlannedDocument } from './plan.js'
import type { GroupVersionInput, Schema } from './types.js'

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// Printing walks modules in path order, and a module's schemas come from one document or a
// few (a CRD group-version's own, the shared ones of the first document): the last few read
// are the ones asked for again.
const KEPT = 2

/** Reads documents for the generator, keeping the last {@link KEPT} read for printing. */
export class DocumentReader {
  readonly #kept = new Map<string, Record<string, unknown>>()

  /** The document of `gv`, read now and not kept. */
  read(gv: GroupVersionInput): Promise<unknown> {
    return gv.load === undefined ? Promise.resolve(gv.document) : gv.load()
  }

  /** The schemas of a planned document, read again (or kept from the last reads). */
  async schemas(doc: PlannedDocument): Promise<Record<string, unknown>> {
    const key = doc.gv.key
    const kept = this.#kept.get(key)
    if (kept !== undefined) {
      this.#kept.delete(key)
      this.#kept.set(key, kept)
      return kept
    }
    const document = await this.read(doc.gv)
    const schemas =
      isObject(document) && isObject(document.components) ? document.components.schemas : undefined
    if (!isObject(schemas) || [...doc.schemas.keys()].some((name) => !Object.hasOwn(schemas, name)))
      throw new CodegenError(
        'K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT',
        `group-version ${key}: the document read again to print it is not the one planned (load() must give the same document every time)`,
      )
    // A document the caller holds costs nothing to keep; a loaded one is kept while recent.
    if (doc.gv.load !== undefined) {
      this.#kept.set(key, schemas)
      for (const old of this.#kept.keys()) {
        if (this.#kept.size <= KEPT) break
        this.#kept.delete(old)
      }
    }
    return schemas
  }
}

/**
 * Fingerprints every copy of a schema name that more than one of `docs` defines and that planning
 * did not fingerprint while reading (a name first seen in a document read before its second
 * copy was): the documents holding such copies are read again, each once.
 */
export async function fingerprintShared(
  docs: readonly PlannedDocument[],
  reader: DocumentReader,
): Promise<void> {
  const count = new Map<string, number>()
  for (const doc of docs) {
    for (const [name, summary] of doc.schemas)
      if (summary.object) count.set(name, (count.get(name) ?? 0) + 1)
  }
  for (const doc of docs) {
    const missing = [...doc.schemas].filter(
      ([name, summary]) =>
        summary.object && summary.shape === undefined && (count.get(name) ?? 0) > 1,
    )
    if (missing.length === 0) continue
    const schemas = await reader.schemas(doc)
    for (const [name] of missing) doc.schemas.set(name, summarize(schemas[name], true))
  }
}

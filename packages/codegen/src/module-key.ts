// What one printed module is a function of, as a key: a module whose key a caller has seen
// before, with the files printed then still as they were, need not be printed again. A module's
// text depends on
//   - the whole placement (plan.ts): which module and identifier every schema copy got, which
//     copy a `$ref` from each document resolves to, and each document's own module. Module
//     paths, identifiers, imports, `Embedded<…>` wrappers and whether a schema is a CRD's own
//     all come from it. Its digest leaves out the documents' contents: an edit that moves no
//     name (a description, a field) keeps it;
//   - the documents it is printed from (each with its discovery list and CRD facts): the ones
//     whose schemas it holds, the ones whose resources are described in it, and the ones whose
//     resources' kinds it declares (a deprecated version's warning lands on the kind's
//     declaration);
//   - the generator's code and the options that shape output.
import { createHash } from 'node:crypto'

import { generatorId } from './generator-id.js'
import type { Plan, PlannedDocument } from './plan.js'
import type { GroupVersionInput } from './types.js'

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

// No document has this key, so `resolve` answers with the copy that owns a name.
const NO_DOCUMENT = '\0'

function planDigest(placed: Plan, docs: readonly PlannedDocument[]): string {
  const hash = createHash('sha256')
  for (const [module, placements] of [...placed.modules].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(JSON.stringify(module))
    for (const placement of placements) {
      const { copy, id } = placement
      const owner = placed.resolve(copy.name, NO_DOCUMENT) === placement
      hash.update(JSON.stringify([copy.name, copy.doc.gv.key, id, copy.summary.gvk ?? 0, owner]))
    }
  }
  for (const doc of docs) hash.update(JSON.stringify([doc.gv.key, placed.moduleOf(doc)]))
  return hash.digest('hex')
}

function documentIdentity({ key, hash, discovery, crdFacts }: GroupVersionInput): string {
  return JSON.stringify([key, hash, discovery ?? 0, crdFacts ?? 0])
}

/**
 * The keys of the modules of one placement: the documents each module is printed from are noted
 * with {@link add} as the generator meets them, then {@link key} names the module.
 */
export class ModuleKeys {
  readonly #common: string
  readonly #inputs = new Map<string, Map<string, string>>()

  constructor(placed: Plan, docs: readonly PlannedDocument[], shaping: unknown) {
    this.#common = JSON.stringify([generatorId(), shaping, planDigest(placed, docs)])
  }

  /** `gv`'s document is one `module` is printed from. */
  add(module: string, gv: GroupVersionInput): void {
    let inputs = this.#inputs.get(module)
    if (inputs === undefined) this.#inputs.set(module, (inputs = new Map<string, string>()))
    if (!inputs.has(gv.key)) inputs.set(gv.key, documentIdentity(gv))
  }

  /** The key of `module`, once every document it is printed from was {@link add}ed. */
  key(module: string): string {
    const inputs = [...(this.#inputs.get(module) ?? new Map<string, string>())]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, identity]) => identity)
    return `sha256:${sha256(JSON.stringify([this.#common, module, inputs]))}`
  }
}

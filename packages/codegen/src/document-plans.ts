// Planning reads each document once and keeps only what plan.ts needs of it (SchemaSummary, its
// resources, its refs). A caller that holds each document at some point before generating (the
// CLI, as `--crds` converts and stores each group-version) can plan it then: generating reads it
// only to print it, not a second time to plan it.
import { isDeepStrictEqual } from 'node:util'

import {
  checkDocument,
  checkGroupVersion,
  DEFAULT_LIMITS,
  type GenerateLimits,
  type SkippedGroupVersion,
} from './limits.js'
import { moduleOfGroupVersion } from './module-path.js'
import { singleGvk, summarize, type PlannedDocument } from './plan.js'
import { deriveResources, type ResourceInfo } from './resources.js'
import type { GroupVersionInput } from './types.js'

/** One document planned, with the warnings of its resources, or why it is skipped. */
export type DocumentPlanning =
  { planned: PlannedDocument; warnings: string[] } | { skipped: SkippedGroupVersion }

// apimachinery pkg/util/validation IsDNS1123Label: what a plural and a subresource name must be
// to stand as one path segment (a CRD's plural is validated the same way).
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function checkResources(
  key: string,
  resources: readonly ResourceInfo[],
): SkippedGroupVersion | undefined {
  for (const r of resources) {
    const bad = [r.plural, ...r.subresources.map((s) => s.name)].find(
      (n) => n.length > 63 || !LABEL.test(n),
    )
    if (bad !== undefined || r.kind === '') {
      return {
        key,
        code: 'K8S_CODEGEN_CODEGEN_INVALID_NAME',
        reason: `resource ${JSON.stringify(bad ?? r.plural)} is not a DNS-1123 label, or its kind is empty; the apiserver serves no such path`,
      }
    }
  }
  return undefined
}

/**
 * Plans one document on its own, after `checkGroupVersion`: checked, its resources derived and
 * each schema summarized, fingerprinted where `seen` (the names of the documents planned
 * before it, which a planned document's names join) already has its name.
 */
export function planDocument(
  gv: GroupVersionInput,
  document: unknown,
  limits: Required<GenerateLimits>,
  seen: Set<string>,
): DocumentPlanning {
  const checked = checkDocument(gv, document, limits)
  if ('code' in checked) return { skipped: checked }
  const warnings: string[] = []
  const resources = deriveResources(gv, checked.paths, warnings, (name) =>
    // apimachinery responses (meta/v1 Status of a rollback or eviction) say nothing about
    // the subresource's own kind; the operation's GVK does.
    name.startsWith('io.k8s.apimachinery.') ? undefined : singleGvk(checked.schemas[name]),
  )
  const refused = checkResources(gv.key, resources)
  if (refused !== undefined) return { skipped: refused }
  const schemas = new Map(
    Object.entries(checked.schemas).map(([name, schema]) => [
      name,
      summarize(schema, seen.has(name)),
    ]),
  )
  for (const name of schemas.keys()) seen.add(name)
  return {
    planned: {
      gv,
      refs: checked.refs,
      schemas,
      module: moduleOfGroupVersion(gv.group, gv.version),
      resources,
    },
    warnings,
  }
}

/**
 * Documents planned while their caller held them, for {@link GenerateInput}'s `plans`: a
 * group-version planned here is not read again to plan it, only to print it. A plan is used only
 * for the same document (key and hash), discovery list and CRD facts under the same limits;
 * anything else is read and planned as without it. The CLI fills one as `--crds` stores each
 * converted group-version.
 *
 * @example
 * const plans = new DocumentPlans()
 * plans.add(gv, gv.document) // when the document is at hand
 * await generateInto({ groupVersions, lockfileHash, plans }, sink)
 */
export class DocumentPlans {
  readonly #limits: Required<GenerateLimits>
  readonly #seen = new Set<string>()
  readonly #plans = new Map<string, { gv: GroupVersionInput; planning: DocumentPlanning }>()

  constructor(options: { limits?: GenerateLimits | undefined } = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits }
  }

  /** Plans `document`, the document of `gv`; it is not kept. */
  add(gv: GroupVersionInput, document: unknown): void {
    const { key, group, version, hash, bytes, discovery, crdFacts } = gv
    const held: GroupVersionInput = { key, group, version, hash }
    if (bytes !== undefined) held.bytes = bytes
    if (discovery !== undefined) held.discovery = discovery
    if (crdFacts !== undefined) held.crdFacts = crdFacts
    this.#plans.delete(key)
    // Planning that throws is left to the generation, which reads the document and throws there.
    try {
      const planning =
        checkGroupVersion(held, this.#limits) === undefined
          ? planDocument(held, document, this.#limits, this.#seen)
          : undefined
      if (planning !== undefined) this.#plans.set(key, { gv: held, planning })
    } catch {
      return
    }
  }

  /**
   * The planning {@link add} made of `gv`'s document, as if made of `gv` itself, when it was of
   * the same document, discovery list and CRD facts under `limits`; else undefined.
   */
  take(gv: GroupVersionInput, limits: Required<GenerateLimits>): DocumentPlanning | undefined {
    const entry = this.#plans.get(gv.key)
    if (
      entry === undefined ||
      entry.gv.hash !== gv.hash ||
      entry.gv.bytes !== gv.bytes ||
      !isDeepStrictEqual(limits, this.#limits) ||
      !isDeepStrictEqual(entry.gv.discovery, gv.discovery) ||
      !isDeepStrictEqual(entry.gv.crdFacts, gv.crdFacts)
    )
      return undefined
    const { planning } = entry
    return 'skipped' in planning ? planning : { ...planning, planned: { ...planning.planned, gv } }
  }
}

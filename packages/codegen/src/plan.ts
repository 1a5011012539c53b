// Which module and identifier every emitted schema gets. A schema name belongs to the
// group-version that serves it as a resource (its x-kubernetes-group-version-kind names that
// group-version and its Go package maps to it) or, for shared types, to the first built-in
// document that defines it. A document cannot redefine a schema another group-version owns: when
// its copy differs, the copy is emitted in the document's own module and the conflict is a
// warning naming both. References resolve per document, so each document sees its own copy.
import { createHash } from 'node:crypto'

import { CodegenError } from './errors.js'
import type { CheckedDocument } from './limits.js'
import { isBuiltinGroup, moduleOfPackage, splitSchemaName } from './module-path.js'
import { IdentifierScope, ModulePaths } from './names.js'
import type { ResourceInfo } from './resources.js'
import type { Schema } from './types.js'

/** A group-version-kind as `x-kubernetes-group-version-kind` lists it. */
export interface Gvk {
  group: string
  version: string
  kind: string
}

/**
 * What planning keeps of one schema of a document: the schema itself is read again from its
 * document when its module is printed, so a plan over thousands of documents holds none of them.
 */
export interface SchemaSummary {
  /** An object (a schema to place), not a boolean or another value. */
  object: boolean
  gvk: Gvk | undefined
  /**
   * Fingerprints of its type ({@link fingerprint}), taken where another document has a schema of
   * the same name (only then are two copies compared).
   */
  shape?: Fingerprint
}

/** One schema as one document serves it. */
export interface SchemaCopy {
  name: string
  summary: SchemaSummary
  doc: PlannedDocument
}

/** A checked document with what planning needs of it, without its schemas and paths. */
export interface PlannedDocument extends Pick<CheckedDocument, 'gv' | 'refs'> {
  /** Raw module id of the group-version (`apps/v1`, `core/v1`). */
  module: string
  resources: ResourceInfo[]
  /** Every name of `components.schemas`, in the document's order. */
  schemas: Map<string, SchemaSummary>
}

/** An emitted declaration: the copy it comes from, its module path and identifier. */
export interface Placement {
  copy: SchemaCopy
  module: string
  id: string
}

export interface Plan {
  /** Module path → its placements, in emission order. */
  modules: Map<string, Placement[]>
  /** The placement a `$ref` to `name` from document `docKey` resolves to. */
  resolve(name: string, docKey: string): Placement | undefined
  /** Module path of a group-version's own module. */
  moduleOf(doc: PlannedDocument): string
  /** A new identifier in a module's scope (kind aliases), after every schema claimed its own. */
  claim(module: string, raw: string): string
  warnings: string[]
}

// Top-level directories of apimachinery's shared packages (module-path.ts moduleOfPackage).
const APIMACHINERY_DIRS = new Set(['meta', 'util', 'api', 'runtime', 'unqualified'])

// A module of a built-in group (`core/v1`, `autoscaling/v1`) or of apimachinery (`meta/v1`).
function isBuiltinModule(raw: string): boolean {
  const first = raw.split('/')[0] ?? ''
  return isBuiltinGroup(first === 'core' ? '' : first) || APIMACHINERY_DIRS.has(first)
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The single group-version-kind a schema declares, if exactly one. */
export function singleGvk(schema: unknown): Gvk | undefined {
  if (!isObject(schema)) return undefined
  const list = schema['x-kubernetes-group-version-kind']
  if (!Array.isArray(list) || list.length !== 1 || !isObject(list[0])) return undefined
  const { group, version, kind } = list[0]
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') {
    return undefined
  }
  return { group, version, kind }
}

// Comparing copies: the same type whatever the prose or the key order says (aggregated servers
// built against another apimachinery carry other descriptions of the same ObjectMeta), and
// whatever list of group-versions a shared kind (DeleteOptions, Status) is registered in, which
// each document states for itself. A single GVK on both sides shapes the type (its literals).
function shape(schema: Schema, gvk: boolean): string {
  const top = gvk ? schema : { ...schema, 'x-kubernetes-group-version-kind': undefined }
  return JSON.stringify(top, (key, value: unknown) => {
    if (key === 'description') return undefined
    if (!isObject(value)) return value
    const sorted = Object.create(null) as Schema
    for (const k of Object.keys(value).sort(compare)) sorted[k] = value[k]
    return sorted
  })
}

/**
 * The SHA-256 of a schema's {@link shape}, without and (when it declares one) with its single
 * group-version-kind: two copies are the same type when these agree.
 */
export interface Fingerprint {
  plain: string
  withGvk: string | undefined
}

/** The {@link Fingerprint} of `schema`. */
export function fingerprint(schema: Schema): Fingerprint {
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex')
  return {
    plain: digest(shape(schema, false)),
    withGvk: singleGvk(schema) === undefined ? undefined : digest(shape(schema, true)),
  }
}

/** What planning keeps of `schema` (see {@link SchemaSummary}); `shared`: fingerprint it now. */
export function summarize(schema: unknown, shared: boolean): SchemaSummary {
  if (!isObject(schema)) return { object: false, gvk: undefined }
  const summary: SchemaSummary = { object: true, gvk: singleGvk(schema) }
  if (shared) summary.shape = fingerprint(schema)
  return summary
}

function sameType(name: string, a: SchemaSummary, b: SchemaSummary): boolean {
  if (a.shape === undefined || b.shape === undefined)
    throw new CodegenError(
      'K8S_CODEGEN_CODEGEN_EMIT_FAILED',
      `schema ${name}: a copy of a name two documents define was not fingerprinted before planning`,
    )
  return a.gvk !== undefined && b.gvk !== undefined
    ? a.shape.withGvk === b.shape.withGvk
    : a.shape.plain === b.shape.plain
}

/** The order in which documents claim names: built-in groups first, then by key. */
export function documentOrder(a: PlannedDocument, b: PlannedDocument): number {
  const builtin = Number(!isBuiltinGroup(a.gv.group)) - Number(!isBuiltinGroup(b.gv.group))
  return builtin !== 0 ? builtin : compare(a.gv.key, b.gv.key)
}

/**
 * Places every schema of `docs` (already in {@link documentOrder}).
 */
export function plan(docs: readonly PlannedDocument[]): Plan {
  const warnings: string[] = []
  // Go package → group, from schemas that a document serves as its own resources; the first in
  // document order wins, so a tenant's CRD cannot move a package another document serves.
  const inferred = new Map<string, string>()
  const servesOwn = (doc: PlannedDocument, gvk: Gvk | undefined): boolean =>
    gvk !== undefined && gvk.group === doc.gv.group && gvk.version === doc.gv.version
  for (const doc of docs) {
    for (const name of [...doc.schemas.keys()].sort(compare)) {
      if (!servesOwn(doc, doc.schemas.get(name)?.gvk)) continue
      const { pkg } = splitSchemaName(name)
      if (!inferred.has(pkg)) inferred.set(pkg, doc.gv.group)
    }
  }

  const copies = new Map<string, SchemaCopy[]>()
  for (const doc of docs) {
    for (const [name, summary] of doc.schemas) {
      if (!summary.object) continue
      let list = copies.get(name)
      if (list === undefined) copies.set(name, (list = []))
      list.push({ name, summary, doc })
    }
  }

  // Raw placements: (raw module, copy); then module paths and identifiers in a stable order.
  interface Raw {
    copy: SchemaCopy
    module: string
  }
  const raws: Raw[] = []
  const byDoc = new Map<string, Map<string, Raw>>()
  const owners = new Map<string, Raw>()
  for (const name of [...copies.keys()].sort(compare)) {
    const list = copies.get(name) ?? []
    const home = moduleOfPackage(splitSchemaName(name).pkg, inferred)
    // A built-in module's names belong to the built-ins, from a fetched document or from the
    // baseline a CRD document carries: a copy that declares a kind of another group (a CRD's
    // kind `Scale` in `autoscaling.api.k8s.io` is named `io.k8s.api.autoscaling.v1.Scale`)
    // never takes one.
    const foreign = (c: SchemaCopy): boolean =>
      isBuiltinModule(home) &&
      !isBuiltinGroup(c.doc.gv.group) &&
      !isBuiltinGroup(c.summary.gvk?.group ?? '')
    const eligible = list.filter((c) => !foreign(c))
    const owner =
      eligible.find((c) => c.doc.module === home && servesOwn(c.doc, c.summary.gvk)) ??
      eligible.find((c) => isBuiltinGroup(c.doc.gv.group)) ??
      eligible[0]
    if (owner !== undefined) {
      const ownerRaw: Raw = { copy: owner, module: home }
      raws.push(ownerRaw)
      owners.set(name, ownerRaw)
    }
    for (const copy of list) {
      if (copy === owner) continue
      if (foreign(copy)) {
        warnings.push(
          `${copy.doc.gv.key}: schema ${name} is the name of a built-in type of ${home}${owner === undefined ? '' : ` (the one ${owner.doc.gv.key} owns)`}, which a group-version it does not belong to never replaces; this group-version's type is emitted in its own module ${copy.doc.module}`,
        )
      } else if (owner === undefined || sameType(name, copy.summary, owner.summary)) {
        continue
      } else {
        warnings.push(
          `${copy.doc.gv.key}: schema ${name} differs from the one ${owner.doc.gv.key} owns; this group-version's copy is emitted in its own module ${copy.doc.module}`,
        )
      }
      const own: Raw = { copy, module: copy.doc.module }
      raws.push(own)
      let mine = byDoc.get(copy.doc.gv.key)
      if (mine === undefined) byDoc.set(copy.doc.gv.key, (mine = new Map<string, Raw>()))
      mine.set(name, own)
    }
  }

  const paths = new ModulePaths()
  // Built-in modules claim their paths first, so no served group can take `core/v1`'s.
  const builtinFirst = (raw: string): number => (isBuiltinModule(raw) ? 0 : 1)
  const rawModules = [...new Set([...raws.map((r) => r.module), ...docs.map((d) => d.module)])]
  rawModules.sort((a, b) => builtinFirst(a) - builtinFirst(b) || compare(a, b))
  for (const raw of rawModules) paths.claim(raw)

  const scopes = new Map<string, IdentifierScope>()
  const scopeOf = (module: string): IdentifierScope => {
    let scope = scopes.get(module)
    if (scope === undefined) scopes.set(module, (scope = new IdentifierScope()))
    return scope
  }
  const placed = new Map<Raw, Placement>()
  const modules = new Map<string, Placement[]>()
  const ordered = [...raws].sort(
    (a, b) =>
      compare(splitSchemaName(a.copy.name).short, splitSchemaName(b.copy.name).short) ||
      compare(a.copy.name, b.copy.name) ||
      documentOrder(a.copy.doc, b.copy.doc),
  )
  for (const raw of ordered) {
    const module = paths.claim(raw.module)
    const placement: Placement = {
      copy: raw.copy,
      module,
      id: scopeOf(module).claim(splitSchemaName(raw.copy.name).short),
    }
    placed.set(raw, placement)
    let list = modules.get(module)
    if (list === undefined) modules.set(module, (list = []))
    list.push(placement)
  }
  for (const doc of docs) {
    const module = paths.claim(doc.module)
    if (!modules.has(module)) modules.set(module, [])
  }

  return {
    modules,
    warnings,
    resolve(name, docKey) {
      const raw = byDoc.get(docKey)?.get(name) ?? owners.get(name)
      return raw === undefined ? undefined : placed.get(raw)
    },
    moduleOf(doc) {
      return paths.claim(doc.module)
    },
    claim(module, raw) {
      return scopeOf(module).claim(raw)
    },
  }
}

// The pipeline behind generate(): check each document on its own (skipping, with a named rule,
// what cannot be generated), plan where every schema goes, normalize, build each module as a
// syntax tree, print it. Loaded lazily: a no-op run never loads the compiler.
import type { CompilerOptions } from 'typescript'

import { indentation, jsDocText, stringLiteral } from './_source-text.js'
import { descriptorText, RUNTIME_NAMESPACE, RUNTIME_PACKAGE } from './descriptors.js'
import { planDocument } from './document-plans.js'
import { DocumentReader, fingerprintShared } from './document-reader.js'
import { CodegenError } from './errors.js'
import {
  declarationText,
  deprecatedTag,
  interfaceText,
  docLines,
  type ObjectNamer,
  type RefUse,
  type TypeEmitContext,
  type TypeText,
} from './emit-types.js'
import { applyFixups } from './fixups.js'
import { javaScriptPaths } from './planned-files.js'
import type { FileSink, GenerateInput, GenerateSummary, GeneratedModule } from './generate.js'
import { fileHeader, selectGroupVersion, type FileSources } from './generate.js'
import {
  checkGroupVersion,
  danglingRef,
  DEFAULT_LIMITS,
  type GenerateLimits,
  type SkippedGroupVersion,
} from './limits.js'
import { ModuleKeys } from './module-key.js'
import { IdentifierScope, importSpecifier, moduleWords, nestedTypeName } from './names.js'
import {
  LIST_ITEM_KEY,
  LITERALS_KEY,
  LITERAL_TYPE,
  normalizeSchema,
  REF_TYPE,
  type NormalizeContext,
} from './normalize.js'
import {
  documentOrder,
  plan,
  singleGvk,
  type Placement,
  type Plan,
  type PlannedDocument,
} from './plan.js'
import type { ResourceInfo } from './resources.js'
import type { Schema } from './types.js'

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A failure attributed to one group-version; the pipeline skips it and plans again. */
class DocumentFailure extends Error {
  constructor(readonly skipped: SkippedGroupVersion) {
    super(skipped.reason)
  }
}

function normalizeTopLevel(name: string, served: Schema, ctx: NormalizeContext): Schema {
  const schema = normalizeSchema(applyFixups(name, served), ctx, name)
  const gvk = singleGvk(served)
  const properties = isObject(schema.properties) ? schema.properties : undefined
  if (gvk === undefined || properties === undefined) return schema
  // apiVersion and kind of a kind with exactly one group-version-kind are literal types, and
  // required in what users write: the apiserver rejects an object without them.
  const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`
  const literal = (value: string, key: string): Schema => {
    const current = properties[key]
    const description =
      isObject(current) && typeof current.description === 'string'
        ? { description: current.description }
        : {}
    return { ...description, type: LITERAL_TYPE, [LITERALS_KEY]: [value] }
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  for (const [key, value] of [
    ['apiVersion', apiVersion],
    ['kind', gvk.kind],
  ] as const) {
    if (!Object.hasOwn(properties, key)) continue
    properties[key] = literal(value, key)
    required.add(key)
  }
  schema.required = [...required]
  // The items of a List are sent without apiVersion and kind.
  const items = properties.items
  if (gvk.kind.endsWith('List') && isObject(items) && isObject(items.items)) {
    if (items.items.type === REF_TYPE) items.items[LIST_ITEM_KEY] = true
  }
  return schema
}

// A module's text: its imports one a line, then its declarations, a blank line before each
// (as the printer separates statements; every statement is written as text, emit-types.ts).
function moduleText(imports: readonly string[], declarations: readonly string[]): string {
  const head = imports.join('\n')
  const body = declarations.join('\n\n')
  return head === '' ? body : body === '' ? head : `${head}\n\n${body}`
}

// `import * as <id> from '<specifier>';`, `import type` when only its types are used.
function namespaceImport(id: string, specifier: string, typeOnly: boolean): string {
  return `import ${typeOnly ? 'type ' : ''}* as ${id} from ${stringLiteral(specifier)};`
}

/** A module's imports of other modules: `$`-prefixed identifiers no server name can take. */
class Imports {
  readonly #ids = new Map<string, string>()
  readonly #scope = new IdentifierScope([RUNTIME_NAMESPACE])
  constructor(readonly module: string) {}

  of(target: string): string {
    let id = this.#ids.get(target)
    if (id === undefined) {
      id = `$${this.#scope.claim(moduleWords(target))}`
      this.#ids.set(target, id)
    }
    return id
  }

  statements(typeOnly: boolean): string[] {
    return [...this.#ids.entries()]
      .map(([target, id]) => ({ id, spec: importSpecifier(this.module, target) }))
      .sort((a, b) => compare(a.spec, b.spec))
      .map(({ id, spec }) => namespaceImport(id, spec, typeOnly))
  }
}

interface ResourceEntry {
  module: string
  id: string
  info: ResourceInfo
}

interface EmittedModules {
  resources: ResourceEntry[]
  warnings: string[]
}

/**
 * Takes one printed module (`core/v1.ts`, `index.ts`) with the group-versions it comes from and
 * makes its files; `key` (none for `index.ts`) names what it was printed from (module-key.ts).
 */
type ModuleSink = (path: string, text: string, sources: FileSources, key?: string) => Promise<void>

/** True when the files of module `path` printed from inputs `key` need not be printed again. */
type ModuleReuse = (path: string, key: string) => Promise<boolean>

// A CRD group-version's own schemas (not the meta/v1 & co. its document carries), known by the
// CRD facts locked beside it (`--crds` files, or the CRDs `fetch` reads).
function isCrdSchema(placed: Plan, placement: Placement): boolean {
  const { doc } = placement.copy
  return doc.gv.crdFacts !== undefined && placement.module === placed.moduleOf(doc)
}

function normalizePlacement(
  placed: Plan,
  placement: Placement,
  served: Schema,
  docsOn: boolean,
): Schema {
  const { copy } = placement
  const ctx: NormalizeContext = {
    has: (name) => placed.resolve(name, copy.doc.gv.key) !== undefined,
    docs: docsOn,
    objectMeta:
      placed.resolve(OBJECT_META, copy.doc.gv.key) === undefined ? undefined : OBJECT_META,
    appliesDefaults: isCrdSchema(placed, placement),
  }
  try {
    return normalizeTopLevel(copy.name, served, ctx)
  } catch (error) {
    if (!(error instanceof CodegenError)) throw error
    throw new DocumentFailure({ key: copy.doc.gv.key, code: error.code, reason: error.message })
  }
}

// Every module's text and the index, from one placement, each handed to `emit` as soon as it is
// printed (only one module's normalized schemas, syntax trees and text are alive at a time).
// Throws DocumentFailure when a document's schemas cannot be normalized.
async function emitModules(
  placed: Plan,
  docs: readonly PlannedDocument[],
  docsOn: boolean,
  emit: ModuleSink,
  reader: DocumentReader,
  keys: ModuleKeys,
  reuse: ModuleReuse,
): Promise<EmittedModules> {
  const warnings: string[] = []
  const sources = new Map<string, Map<string, string>>()
  const sourceOf = (module: string, gv: { key: string; hash: string }): void => {
    let gvs = sources.get(module)
    if (gvs === undefined) sources.set(module, (gvs = new Map<string, string>()))
    gvs.set(gv.key, gv.hash)
  }
  const resources: ResourceEntry[] = []
  // Each descriptor's syntax tree is built when its module is printed, not all before the first.
  const descriptorsByModule = new Map<string, (() => string)[]>()
  const aliasesByModule = new Map<string, string[]>()
  const importsByModule = new Map<string, Imports>()
  const importsOf = (module: string): Imports => {
    let imports = importsByModule.get(module)
    if (imports === undefined) importsByModule.set(module, (imports = new Imports(module)))
    return imports
  }
  const runtimeTypesUsed = new Set<string>()
  // Kind schemas of deprecated CRD versions → the warning their JSDoc carries as @deprecated.
  const deprecatedKinds = new Map<Placement, string>()
  // A reference from `module` to a schema: the type itself (a descriptor's list type), the item
  // of a List, or a field. A kind referenced from a field is `Embedded<Kind>`
  // (apiVersion and kind optional): only the resource itself must say what it is.
  const referenceTo = (module: string, docKey: string, name: string) => {
    const target = placed.resolve(name, docKey)
    if (target === undefined) return undefined
    const namespace = target.module === module ? undefined : importsOf(module).of(target.module)
    return { target, namespace }
  }
  const referenceText = (ref: { target: { id: string }; namespace: string | undefined }): string =>
    ref.namespace === undefined ? ref.target.id : `${ref.namespace}.${ref.target.id}`
  const refText =
    (module: string, docKey: string) =>
    (name: string, use: RefUse): TypeText => {
      const ref = referenceTo(module, docKey, name)
      if (ref === undefined) return { text: 'unknown', kind: 'unknown' }
      const text = ref.namespace === undefined ? ref.target.id : `${ref.namespace}.${ref.target.id}`
      const wrapper =
        use === 'list-item'
          ? 'ListItem'
          : ref.target.copy.summary.gvk !== undefined
            ? 'Embedded'
            : undefined
      if (wrapper === undefined) return { text }
      runtimeTypesUsed.add(module)
      return { text: `${RUNTIME_NAMESPACE}.${wrapper}<${text}>` }
    }

  for (const doc of docs) {
    const module = placed.moduleOf(doc)
    const used = new Set<string>()
    for (const info of [...doc.resources].sort((a, b) => compare(a.kind, b.kind))) {
      const kindSchema = [...doc.schemas.keys()].sort(compare).find((name) => {
        const gvk = doc.schemas.get(name)?.gvk
        return gvk?.group === info.group && gvk.version === info.version && gvk.kind === info.kind
      })
      const target = kindSchema === undefined ? undefined : placed.resolve(kindSchema, doc.gv.key)
      if (target === undefined) {
        warnings.push(
          `${info.apiVersion} ${info.plural}: no schema declares kind ${info.kind}; its descriptor is skipped`,
        )
        continue
      }
      if (used.has(info.kind)) {
        warnings.push(
          `${info.apiVersion} ${info.plural}: kind ${info.kind} is served by another resource of this group-version too; its descriptor is skipped`,
        )
        continue
      }
      used.add(info.kind)
      if (info.deprecationWarning !== undefined)
        deprecatedKinds.set(target, info.deprecationWarning)
      keys.add(module, doc.gv)
      keys.add(target.module, doc.gv)
      let id = target.id
      if (target.module !== module) {
        id = placed.claim(module, info.kind)
        const alias = `export type ${id} = ${importsOf(module).of(target.module)}.${target.id};`
        aliasesByModule.set(module, [...(aliasesByModule.get(module) ?? []), alias])
      }
      const listSchema =
        info.listKind === undefined
          ? undefined
          : [...doc.schemas.keys()].sort(compare).find((name) => {
              const gvk = doc.schemas.get(name)?.gvk
              return (
                gvk?.group === info.group &&
                gvk.version === info.version &&
                gvk.kind === info.listKind
              )
            })
      const listRef =
        listSchema === undefined ? undefined : referenceTo(module, doc.gv.key, listSchema)
      const listType = listRef === undefined ? 'unknown' : referenceText(listRef)
      const statement = (): string =>
        `${jsDocText(
          [
            `Descriptor of ${info.plural} (${info.apiVersion} ${info.kind}, ${info.namespaced ? 'namespaced' : 'cluster-scoped'}): static facts and REST path builders.`,
            deprecatedTag(info.deprecationWarning),
          ],
          0,
        )}${descriptorText(id, info, id, listType)}`
      descriptorsByModule.set(module, [...(descriptorsByModule.get(module) ?? []), statement])
      sourceOf(module, doc.gv)
      resources.push({ module, id, info })
    }
  }

  for (const [module, placements] of [...placed.modules.entries()].sort(([a], [b]) =>
    compare(a, b),
  )) {
    for (const placement of placements) keys.add(module, placement.copy.doc.gv)
    const key = keys.key(module)
    if (await reuse(`${module}.ts`, key)) continue
    const declarations: string[] = []
    for (const placement of placements) {
      sourceOf(module, placement.copy.doc.gv)
      const served = (await reader.schemas(placement.copy.doc))[placement.copy.name] as Schema
      const schema = normalizePlacement(placed, placement, served, docsOn)
      // Every nested object of a CRD schema is a named declaration after its kind's, named by
      // its path (built-ins name theirs already: each is a schema of its own). Names are claimed
      // before their members are written, so a shallower path gets the plainer name.
      const nested: string[] = []
      const nameObject: ObjectNamer = (path, object, members) => {
        const id = placed.claim(module, nestedTypeName(placement.id, path))
        const slot = nested.push('') - 1
        // The object's own rules (CEL rules on the object, property counts) are on its
        // declaration, not on every field of its type.
        const doc = docLines(object, false)
        nested[slot] = interfaceText(id, members(), doc)
        return { text: id }
      }
      const ctx: TypeEmitContext = {
        resolveRef: refText(module, placement.copy.doc.gv.key),
        docs: docsOn,
        nameObject: isCrdSchema(placed, placement) ? nameObject : undefined,
      }
      const lines = docLines(schema, docsOn)
      const warning = deprecatedKinds.get(placement)
      if (warning !== undefined && !lines.includes('@deprecated'))
        lines.push(deprecatedTag(warning))
      declarations.push(declarationText(placement.id, schema, ctx, lines))
      declarations.push(...nested)
    }
    const descriptors = (descriptorsByModule.get(module) ?? []).map((make) => make())
    const imports = importsByModule.get(module)?.statements(true) ?? []
    const runtime =
      descriptors.length > 0
        ? [namespaceImport(RUNTIME_NAMESPACE, RUNTIME_PACKAGE, false)]
        : runtimeTypesUsed.has(module)
          ? [namespaceImport(RUNTIME_NAMESPACE, RUNTIME_PACKAGE, true)]
          : []
    const from = [...(sources.get(module)?.entries() ?? [])].map(([key, hash]) => ({ key, hash }))
    const text = moduleText(
      [...runtime, ...imports],
      [...declarations, ...(aliasesByModule.get(module) ?? []), ...descriptors],
    )
    await emit(`${module}.ts`, text === '' ? 'export {}' : text, from, key)
  }
  await emit('index.ts', indexText([...placed.modules.keys()], resources), [])
  return { resources, warnings }
}

/**
 * Generates the output files of {@link GenerateInput} into `sink`; see `generateInto()`.
 */
export async function emitOutput(input: GenerateInput, sink: FileSink): Promise<GenerateSummary> {
  const options = input.options ?? {}
  const docsOn = options.docs !== false
  const limits: Required<GenerateLimits> = { ...DEFAULT_LIMITS, ...options.limits }
  const warnings: string[] = []
  const skipped: SkippedGroupVersion[] = []

  // 1. Each document on its own, read and let go: planning keeps what it needs of each
  //    schema (its kind, and a fingerprint of its type where another document has the name).
  const reader = new DocumentReader()
  const seen = new Set<string>()
  let docs: PlannedDocument[] = []
  for (const gv of input.groupVersions.filter((g) => selectGroupVersion(g, options))) {
    const refused = checkGroupVersion(gv, limits)
    if (refused !== undefined) {
      skipped.push(refused)
      continue
    }
    let planning = input.plans?.take(gv, limits)
    if (planning === undefined) planning = planDocument(gv, await reader.read(gv), limits, seen)
    else if ('planned' in planning)
      for (const name of planning.planned.schemas.keys()) seen.add(name)
    if ('skipped' in planning) {
      skipped.push(planning.skipped)
      continue
    }
    warnings.push(...planning.warnings)
    docs.push(planning.planned)
  }
  docs.sort(documentOrder)

  // 2. References across the documents that remain, until none dangles.
  for (let changed = true; changed;) {
    changed = false
    const defined = new Set(docs.flatMap((d) => [...d.schemas.keys()]))
    docs = docs.filter((doc) => {
      const dangling = danglingRef(doc, defined)
      if (dangling === undefined) return true
      skipped.push({
        key: doc.gv.key,
        code: 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF',
        reason: `schema ${JSON.stringify(dangling.schema)} has $ref to ${JSON.stringify(dangling.ref)}, which no generated document defines`,
      })
      changed = true
      return false
    })
  }

  // 3. Placement, normalization and emission, module by module, each file handed to the sink
  //    as soon as it is printed; a document whose schemas cannot be normalized is skipped, what
  //    the sink took is discarded, and the rest placed again.
  const headerOptions = {
    nocheck: options.nocheck !== false,
    docs: docsOn,
    emit: options.emit ?? 'ts',
  }
  let files = 0
  let printed: GeneratedModule[] = []
  const emit: ModuleSink = async (path, text, from, key) => {
    const header = fileHeader(from, headerOptions)
    const source = `${text}\n`
    const made =
      options.emit === 'js' ? await toJavaScript(path, source) : [[path, source] as const]
    for (const [name, content] of made) {
      // The pragma is for a consumer's checker, so it goes on every TypeScript file: the `.d.ts`
      // of --emit js too, which a project without `skipLibCheck` would otherwise check in full
      // (through the index at 1,000 CRDs: 19 s of tsc's CPU, 12 s with the pragma). A `.js`
      // beside its `.d.ts` is never read by tsc.
      const own = name.endsWith('.js')
        ? fileHeader(from, { ...headerOptions, nocheck: false })
        : header
      await sink.file(name, `${own}\n${content}`)
      files++
    }
    if (key !== undefined) printed.push({ key, files: made.map(([name]) => name) })
  }
  const reuse: ModuleReuse = async (path, key) => {
    const names = options.emit === 'js' ? javaScriptPaths(path) : [path]
    if (sink.reuse === undefined || !(await sink.reuse(key, names))) return false
    files += names.length
    printed.push({ key, files: names })
    return true
  }
  await fingerprintShared(docs, reader)
  let modules: EmittedModules
  for (;;) {
    const placed = plan(docs)
    const keys = new ModuleKeys(placed, docs, headerOptions)
    try {
      modules = await emitModules(placed, docs, docsOn, emit, reader, keys, reuse)
      warnings.push(...placed.warnings, ...modules.warnings)
      break
    } catch (error) {
      if (!(error instanceof DocumentFailure)) throw error
      await sink.discard()
      files = 0
      printed = []
      skipped.push(error.skipped)
      docs = docs.filter((d) => d.gv.key !== error.skipped.key)
    }
  }
  return {
    warnings,
    skipped: skipped.sort((a, b) => compare(a.key, b.key)),
    stats: { groupVersions: docs.length, resources: modules.resources.length, files },
    modules: printed,
  }
}

function indexText(modules: readonly string[], resources: readonly ResourceEntry[]): string {
  const publicNames = ['registry', 'KubernetesResource', 'RegistryKey', ...RUNTIME_REEXPORTS]
  const scope = new IdentifierScope(publicNames)
  const imports = new Imports('index')
  const exports = [...modules]
    .sort(compare)
    .map(
      (module) =>
        `export * as ${scope.claim(moduleWords(module))} from ${stringLiteral(`./${module}.js`)};`,
    )
  const sorted = [...resources].sort((a, b) =>
    compare(`${a.info.apiVersion}/${a.info.kind}`, `${b.info.apiVersion}/${b.info.kind}`),
  )
  const value = (r: ResourceEntry): string => `${imports.of(r.module)}.${r.id}`
  const key = (r: ResourceEntry): string => stringLiteral(`${r.info.apiVersion}/${r.info.kind}`)
  const members = sorted.map(value)
  const reexports = RUNTIME_REEXPORTS.map((name) =>
    RUNTIME_TYPE_REEXPORTS.has(name) ? `type ${name}` : name,
  )
  const pad = indentation(1)
  const registryType =
    sorted.length === 0
      ? '{}'
      : `{\n${sorted.map((r) => `${pad}readonly ${key(r)}: typeof ${value(r)};\n`).join('')}}`
  const registryValue =
    sorted.length === 0
      ? '{}'
      : `{\n${sorted.map((r) => `${pad}${key(r)}: ${value(r)}`).join(',\n')}\n}`
  const declarations = [
    ...exports,
    `export { ${reexports.join(', ')} } from ${stringLiteral(RUNTIME_PACKAGE)};`,
    `${jsDocText(['Every resource kind of the output, discriminated by `apiVersion` and `kind`.'], 0)}export type KubernetesResource = ${members.length === 0 ? 'never' : members.join(' | ')};`,
    `${jsDocText(['Descriptor of every resource kind, keyed by `<apiVersion>/<kind>`.'], 0)}export const registry: ${registryType} = ${registryValue};`,
    `${jsDocText(['A key of {@link registry}: `<apiVersion>/<kind>`.'], 0)}export type RegistryKey = keyof typeof registry;`,
  ]
  return moduleText(imports.statements(false), declarations)
}

const RUNTIME_TYPE_REEXPORTS = new Set([
  'ResourceInfo',
  'Resource',
  'ProxiedResource',
  'ObjectOf',
  'ListOf',
])
const RUNTIME_REEXPORTS = ['ResourcePathError', 'isK8sCodegenError', ...RUNTIME_TYPE_REEXPORTS]

// `--emit js`: each module's JavaScript and its declarations, both from the same source; the
// source is written for isolated declaration emit (every exported value has a type annotation).
// Only this loads the compiler.
async function toJavaScript(path: string, source: string): Promise<[string, string][]> {
  const { default: ts } = await import('./_typescript.js')
  const compilerOptions: CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    declaration: true,
    isolatedDeclarations: true,
    removeComments: false,
  }
  const [jsPath, dtsPath] = javaScriptPaths(path)
  const js = ts.transpileModule(source, {
    compilerOptions,
    fileName: path,
    reportDiagnostics: false,
  })
  const dts = ts.transpileDeclaration(source, {
    compilerOptions,
    fileName: path,
    reportDiagnostics: true,
  })
  if (dts.diagnostics !== undefined && dts.diagnostics.length > 0) {
    const first = dts.diagnostics[0]
    throw new CodegenError(
      'K8S_CODEGEN_CODEGEN_EMIT_FAILED',
      `${path}: declaration emit failed: ${ts.flattenDiagnosticMessageText(first?.messageText ?? '', ' ')}`,
    )
  }
  return [
    [jsPath, js.outputText],
    [dtsPath, dts.outputText],
  ]
}

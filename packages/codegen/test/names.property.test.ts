// Issue 9, property tests: any name a cluster may legally serve (and the hostile ones an
// aggregated server may pass through) must yield output that type-checks without `@ts-nocheck`,
// exports each name once, and does not depend on the run or on the order of the inputs.
// Kubernetes accepts a CRD kind whose lower case is a DNS-1035 label and any group that is a
// DNS-1123 subdomain with a dot (apiextensions-apiserver `pkg/apis/apiextensions/validation`
// ValidateCustomResourceDefinitionNames / ValidateCustomResourceDefinitionSpec); schema and
// property names in a document are free strings.
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'

import { exampleCrdDocument } from '@k8s-codegen/testkit'
import fc from 'fast-check'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { generate, type GroupVersionInput } from '../src/index.js'

type JsonObject = Record<string, unknown>

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
// A $ref is a JSON pointer in a URI fragment (RFC 6901 §6), so a '%' in a name is written as
// '%25', as a conforming producer writes it ('%00 ' unescaped would point at "\u0000 ").
const ref = (name: string): JsonObject => ({
  $ref: `#/components/schemas/${name.replaceAll('%', '%25')}`,
})
const metaSchemas = Object.fromEntries(
  Object.entries(exampleCrdDocument().components.schemas).filter(([name]) =>
    name.startsWith('io.k8s.apimachinery.'),
  ),
)

// ---- arbitraries --------------------------------------------------------------------------------

const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/)
const group = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'apps.api.k8s.io',
      'foo-bar.example.com',
      'foo.bar.example.com',
      'constructor.example.com',
      'prototype.example.com',
      'x.y',
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(dnsLabel, fc.array(dnsLabel, { minLength: 1, maxLength: 3 }))
      .map(([first, rest]) => [first, ...rest].join('.'))
      .filter((g) => g.length <= 253),
  },
)
// The /openapi/v3 root key allows `[a-z0-9]+` versions; Kubernetes uses v1, v1beta1, v2alpha3.
const version = fc.oneof(
  fc.constantFrom('v1', 'v1beta1', 'v2alpha3'),
  fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
)
const kind = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Record',
      'class',
      'Object',
      'Array',
      'Date',
      'Promise',
      'String',
      'default',
      'export',
      'constructor',
      'My-Widget',
      'Foo-Bar',
      'K8s1',
    ),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z]([-A-Za-z0-9]{0,10}[A-Za-z0-9])?$/) },
)
const propertyName = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'class',
      'default',
      'a-b',
      '0abc',
      'with space',
      "quo'te",
      'x"y',
      'back\\slash',
      '$ref',
      '*/',
      '/*',
      '\u2028',
      '',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
)
// A schema name: anything a JSON pointer can hold without escaping ('/' and '~' need `~1`/`~0`).
const schemaName = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => !/[/~]/.test(s))

interface KindSpec {
  kind: string
  properties: string[]
}
interface GvSpec {
  group: string
  version: string
  kinds: KindSpec[]
  extraSchemas: string[]
}

const gvSpec: fc.Arbitrary<GvSpec> = fc.record({
  group,
  version,
  // Kinds of one group-version differ in their plural, the lower-cased kind here.
  kinds: fc
    .uniqueArray(
      fc.record({
        kind,
        properties: fc.uniqueArray(propertyName, { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 3, selector: (k) => k.kind.toLowerCase() },
    )
    // The naming controller refuses a kind that is another CRD's listKind in the same group.
    .filter((kinds) => !kinds.some((a) => kinds.some((b) => a.kind === `${b.kind}List`))),
  extraSchemas: fc.uniqueArray(schemaName, { maxLength: 2 }),
})
const gvSpecs = fc.uniqueArray(gvSpec, {
  minLength: 1,
  maxLength: 4,
  selector: (g) => `${g.group}/${g.version}`,
})

// ---- documents, shaped as apiextensions-apiserver builder.go publishes a CRD --------------------

function document(gv: GvSpec): JsonObject {
  const pkg = `${gv.group.split('.').reverse().join('.')}.${gv.version}`
  const kindNames = new Set(gv.kinds.flatMap((k) => [`${pkg}.${k.kind}`, `${pkg}.${k.kind}List`]))
  const extra = gv.extraSchemas.filter((s) => !kindNames.has(s) && !(s in metaSchemas))
  const schemas: JsonObject = { ...metaSchemas }
  for (const name of extra)
    schemas[name] = { type: 'object', properties: { value: { type: 'string' } } }
  const paths: JsonObject = {}
  gv.kinds.forEach((k, i) => {
    const name = `${pkg}.${k.kind}`
    const gvk = { group: gv.group, version: gv.version, kind: k.kind }
    // Object.fromEntries keeps `__proto__` an own property.
    const properties: JsonObject = Object.fromEntries(
      k.properties.map((p, j) => [
        p,
        j % 2 === 0
          ? { type: 'string' }
          : { type: 'object', additionalProperties: { type: 'integer' } },
      ]),
    )
    if (i === 0) extra.forEach((s, j) => (properties[`ref${j}`] = ref(s)))
    schemas[name] = {
      type: 'object',
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { allOf: [ref(`${META}ObjectMeta`)], default: {} },
        spec: { type: 'object', properties, required: k.properties.slice(0, 1) },
      },
      'x-kubernetes-group-version-kind': [gvk],
    }
    schemas[`${name}List`] = {
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        items: { type: 'array', items: ref(name) },
        kind: { type: 'string' },
        metadata: { allOf: [ref(`${META}ListMeta`)], default: {} },
      },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: `${k.kind}List` }],
    }
    const op = (action: string, schema: string): JsonObject => ({
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: ref(schema) } } },
      },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    })
    const plural = k.kind.toLowerCase()
    const collection = `/apis/${gv.group}/${gv.version}/namespaces/{namespace}/${plural}s`
    paths[collection] = { get: op('list', `${name}List`), post: op('post', name) }
    paths[`${collection}/{name}`] = { get: op('get', name), put: op('put', name) }
  })
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths,
    components: { schemas },
  }
}

function inputs(specs: GvSpec[]): GroupVersionInput[] {
  return specs.map((gv) => {
    const doc = document(gv)
    return {
      key: `apis/${gv.group}/${gv.version}`,
      group: gv.group,
      version: gv.version,
      hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase(),
      document: doc,
    }
  })
}

// ---- in-memory type-check -----------------------------------------------------------------------

const compilerOptions: ts.CompilerOptions = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  skipLibCheck: true,
  types: [],
}
// Inside this package, so `@k8s-codegen/runtime` (the output's one dependency) resolves from the
// workspace's node_modules as it would in a user's project. Nothing is written there.
const ROOT = fileURLToPath(new URL('./.in-memory/generated/', import.meta.url))
// The lib files are parsed once for every run.
const libFiles = new Map<string, ts.SourceFile | undefined>()
const realHost = ts.createCompilerHost(compilerOptions)

/** Diagnostics of `files` compiled in memory as an ESM package (`"type": "module"`). */
function typeCheck(files: ReadonlyMap<string, string>): string[] {
  const inMemory = new Map<string, string>([[`${ROOT}package.json`, '{ "type": "module" }']])
  for (const [path, content] of files) inMemory.set(`${ROOT}${path}`, content)
  const host: ts.CompilerHost = {
    ...realHost,
    fileExists: (f) => inMemory.has(f) || (!f.startsWith(ROOT) && realHost.fileExists(f)),
    readFile: (f) => (f.startsWith(ROOT) ? inMemory.get(f) : realHost.readFile(f)),
    directoryExists: (d) =>
      d.startsWith(ROOT.slice(0, -1))
        ? [...inMemory.keys()].some((k) => k.startsWith(d.endsWith('/') ? d : `${d}/`))
        : (realHost.directoryExists?.(d) ?? true),
    getSourceFile: (f, languageVersion) => {
      const text = inMemory.get(f)
      if (text !== undefined) return ts.createSourceFile(f, text, languageVersion, true)
      if (!libFiles.has(f)) libFiles.set(f, realHost.getSourceFile(f, languageVersion))
      return libFiles.get(f)
    },
    writeFile: () => undefined,
  }
  const roots = [...inMemory.keys()].filter((f) => f.endsWith('.ts'))
  const program = ts.createProgram(roots, compilerOptions, host)
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    )
}

/** Names exported twice from one module, in the value or the type space. */
function duplicateExports(path: string, content: string): string[] {
  const file = ts.createSourceFile(path, content, ts.ScriptTarget.ES2022, false)
  const values = new Map<string, number>()
  const types = new Map<string, number>()
  const add = (space: Map<string, number>, name: string): void => {
    space.set(name, (space.get(name) ?? 0) + 1)
  }
  const exported = (node: ts.Node): boolean =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  for (const statement of file.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      if (exported(statement)) add(types, statement.name.text)
    } else if (ts.isVariableStatement(statement)) {
      if (exported(statement))
        for (const d of statement.declarationList.declarations)
          if (ts.isIdentifier(d.name)) add(values, d.name.text)
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      // Overload signatures have no body: one function, one name.
      const signature = ts.isFunctionDeclaration(statement) && statement.body === undefined
      if (exported(statement) && statement.name && !signature) add(values, statement.name.text)
    } else if (ts.isExportDeclaration(statement) && statement.exportClause) {
      const clause = statement.exportClause
      const names = ts.isNamespaceExport(clause)
        ? [clause.name.text]
        : clause.elements.map((e) => e.name.text)
      for (const name of names) {
        if (!statement.isTypeOnly) add(values, name)
        add(types, name)
      }
    }
  }
  return [...values, ...types].filter(([, n]) => n > 1).map(([name]) => `${path}: ${name}`)
}

// ---- properties ---------------------------------------------------------------------------------

const run = (groupVersions: GroupVersionInput[]): ReturnType<typeof generate> =>
  generate({ groupVersions, lockfileHash: 'property', options: { nocheck: false } })

describe('generate with random names (fast-check)', () => {
  it('is stable across runs and across input order', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(gvSpecs, async (specs) => {
        const first = await run(inputs(specs))
        const again = await run(inputs(specs))
        const reversed = await run(inputs([...specs].reverse()))
        expect([...again.files]).toEqual([...first.files])
        expect([...reversed.files]).toEqual([...first.files])
        expect(reversed.warnings).toEqual(first.warnings)
      }),
      { numRuns: 40 },
    )
  })

  it(
    'type-checks without @ts-nocheck and exports every name once per module',
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(gvSpecs, async (specs) => {
          const { files } = await run(inputs(specs))
          for (const [path, content] of files)
            if (path.endsWith('.ts')) expect(content, path).not.toContain('@ts-nocheck')
          expect(
            [...files].flatMap(([path, content]) =>
              path.endsWith('.ts') ? duplicateExports(path, content) : [],
            ),
          ).toEqual([])
          expect(typeCheck(files).slice(0, 10)).toEqual([])
          // Every group-version has its module: a legal name is never a reason to drop one.
          const modules = [...files.keys()]
          for (const gv of specs)
            expect(
              modules.some((m) => m.startsWith(`${gv.group}/`)),
              `${gv.group}/${gv.version}`,
            ).toBe(true)
        }),
        { numRuns: 20 },
      )
    },
  )
})

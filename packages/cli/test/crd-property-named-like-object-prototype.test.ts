import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { loadSpecSet, readLockfile } from '@k8s-codegen/openapi'
import { findRealApiServer, startRealApiServer } from '@k8s-codegen/testkit'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { cliIn } from './_crd-cli.js'

// A CRD field named `__proto__`, `constructor` or `hasOwnProperty` is a Go map key to the
// apiserver: a real kube-apiserver v1.37.2 accepts such a CRD, publishes every one of them in
// /openapi/v3 (apiextensions-apiserver pkg/controller/openapi/builder/builder.go) and requires a
// required `__proto__` on create ("spec.__proto__: Required value"). JavaScript objects built
// by assignment turned the `__proto__` key into a prototype and dropped it, so the converted
// document, its locked hash, the generated type and validation all lost the field.
const crd = (description: string): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.proto.example.com
spec:
  group: proto.example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: ["__proto__"]
            properties:
              __proto__: {type: string, description: "${description}"}
              constructor: {type: integer}
              hasOwnProperty:
                type: object
                properties:
                  toString: {type: boolean}
`
const widget = (spec: string): string =>
  `apiVersion: proto.example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec:\n${spec}`

// The `spec` schema of com.example.proto.v1.Widget in the real kube-apiserver's
// /openapi/v3/apis/proto.example.com/v1 for crd('the proto field') (recorded; the test below
// compares with a live one when a binary is present).
const PUBLISHED_SPEC = {
  type: 'object',
  required: ['__proto__'],
  properties: JSON.parse(
    '{"__proto__":{"description":"the proto field","type":"string"},"constructor":{"type":"integer"},"hasOwnProperty":{"type":"object","properties":{"toString":{"type":"boolean"}}}}',
  ) as unknown,
}
const KEY = 'apis/proto.example.com/v1'
const SCHEMA = 'com.example.proto.v1.Widget'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-proto-field-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Generates `crdText` in a fresh project; the project's directory. */
async function generated(name: string, crdText: string): Promise<string> {
  const project = join(dir, name)
  await mkdir(join(project, 'crds'), { recursive: true })
  await writeFile(join(project, 'crds/widget.yaml'), crdText)
  const run = await cliIn(project, ['generate', '--crds', 'crds', '--out', 'k8s'])
  expect(run.code, run.stderr).toBe(0)
  return project
}

async function specSchema(project: string): Promise<unknown> {
  const set = await loadSpecSet({
    lockfile: join(project, 'k8s-codegen.lock.json'),
    cacheDir: join(project, 'cache'),
  })
  const schema = set.groupVersions.find((gv) => gv.key === KEY)?.document?.components?.schemas?.[
    SCHEMA
  ] as { properties: { spec: unknown } } | undefined
  return JSON.parse(JSON.stringify(schema?.properties.spec))
}

describe('a CRD property named __proto__ (or constructor, hasOwnProperty) is kept', () => {
  it('in the converted document, as the real kube-apiserver publishes it', async () => {
    const project = await generated('document', crd('the proto field'))
    expect(await specSchema(project)).toEqual(PUBLISHED_SPEC)
  })

  it('in the locked hash: a change to that property alone changes it', async () => {
    const hashes = await Promise.all(
      [
        ['hash-a', 'one'],
        ['hash-b', 'two'],
      ].map(async ([name, description]) => {
        const project = await generated(name ?? '', crd(description ?? ''))
        return (await readLockfile(join(project, 'k8s-codegen.lock.json'))).groupVersions[KEY]
      }),
    )
    expect(hashes[0]?.status).toBe('ok')
    expect(hashes[0]).not.toEqual(hashes[1])
  })

  it('in the generated type, quoted and required, as the compiler reads it', async () => {
    const project = await generated('type', crd('the proto field'))
    const module = await readFile(join(project, 'k8s/proto.example.com/v1.ts'), 'utf8')
    expect(module).toContain(
      [
        "    '__proto__': string;",
        "    constructor?: number | null | {}['constructor'];",
        "    hasOwnProperty?: WidgetSpecHasOwnProperty | null | {}['hasOwnProperty'];",
        '}',
      ].join('\n'),
    )
    expect(module).toContain("    toString?: boolean | null | {}['toString'];\n}")
    // A consumer: the computed key defines the field; leaving it out is a compile error. An
    // optional field named like a member every object inherits can be left out, set, and read.
    const consumer = join(project, 'consumer.ts')
    await writeFile(
      consumer,
      [
        "import type { WidgetSpec } from './k8s/proto.example.com/v1.js'",
        "export const ok: WidgetSpec = { ['__proto__']: 'x' }",
        "export const all: WidgetSpec = { ['__proto__']: 'x', constructor: 1, hasOwnProperty: { toString: true } }",
        'export const missing: WidgetSpec = { constructor: 1 }',
        'export const read = (spec: WidgetSpec): unknown => spec.constructor',
        '',
      ].join('\n'),
    )
    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    })
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file?.fileName.slice(project.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      )
    expect(errors).toEqual([
      "consumer.ts: Property ''__proto__'' is missing in type '{ constructor: number; }' but required in type 'WidgetSpec'.",
    ])
  })

  it.each([
    { given: '  __proto__: hi\n  constructor: 3\n  hasOwnProperty: {toString: true}\n', want: '' },
    { given: '  constructor: 3\n', want: 'spec.__proto__: Required value [FieldValueRequired]' },
    {
      given: '  __proto__: hi\n  constructor: "x"\n',
      want: 'spec.constructor: Invalid value: "string": spec.constructor in body must be of type integer: "string" [FieldValueTypeInvalid]',
    },
  ])(
    'in validation, as the real kube-apiserver validates a create: $want',
    async ({ given, want }) => {
      const project = join(dir, `validate-${want.length}`)
      await mkdir(join(project, 'crds'), { recursive: true })
      await writeFile(join(project, 'crds/widget.yaml'), crd('the proto field'))
      await writeFile(join(project, 'w.yaml'), widget(given))
      const run = await cliIn(project, ['validate', 'w.yaml', '--crds', 'crds'])
      expect(run.stdout).toBe(
        want === ''
          ? '1 object in 1 file: 1 valid, 0 invalid\n'
          : `w.yaml document 0 (Widget w): ${want}\n1 object in 1 file: 0 valid, 1 invalid\n`,
      )
    },
  )
})

const backend = findRealApiServer()
if (backend === undefined)
  console.warn(
    'skipping the __proto__ CRD against a real kube-apiserver: no binary (KUBEBUILDER_ASSETS, K8S_CODEGEN_APISERVER_BIN or test/apiserver/bin); `npm run apiserver:build` builds one where Go is installed',
  )

describe.skipIf(backend === undefined)('the real kube-apiserver is the oracle', () => {
  it(
    'publishes the property the conversion keeps, and fetch keeps it too',
    { timeout: 300_000 },
    async () => {
      const project = await generated('real', crd('the proto field'))
      const server = await startRealApiServer({ crds: [join(project, 'crds')] })
      try {
        const kubeconfig = await server.kubeconfig(join(project, 'kubeconfig'))
        // /openapi/v3, and /openapi/v2 split into per-group-version documents (a pre-1.24 path).
        for (const openapi of ['v3', 'v2']) {
          const fetched = join(dir, `real-fetched-${openapi}`)
          await mkdir(fetched)
          const run = await cliIn(fetched, [
            'fetch',
            '--kubeconfig',
            kubeconfig,
            '--openapi',
            openapi,
            '--include',
            'proto.example.com/*',
            '--out',
            'k8s',
          ])
          expect(run.code, run.stderr).toBe(0)
          const module = await readFile(join(fetched, 'k8s/proto.example.com/v1.ts'), 'utf8')
          expect(module, openapi).toContain("'__proto__': string;")
          if (openapi === 'v3') expect(await specSchema(fetched)).toEqual(await specSchema(project))
        }
      } finally {
        await server.close()
      }
    },
  )
})

// Every nested object of a CRD schema is an exported interface named by its path, as kopium and
// crd-generate name them (`ApplicationSpec`, `ApplicationSpecSourceHelm`): importable, shown by
// name in compiler messages, unique in its module and stable across runs.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { generate } from '../src/index.js'
import { crdInputs, crdObject } from './_inputs.js'
import { nestedTypeName } from '../src/names.js'

const require = createRequire(import.meta.url)

type Props = Record<string, unknown>
const object = (properties: Props, extra: Props = {}): Props => ({
  type: 'object',
  properties,
  ...extra,
})

const crd = (kind: string, schema: Props): Props =>
  crdObject('argoproj.io', 'v1alpha1', kind, schema)

const application = crd(
  'Application',
  object({
    spec: object(
      {
        source: object({
          helm: object({ releaseName: { type: 'string' } }),
          path: { type: 'string' },
        }),
        sources: { type: 'array', items: object({ repoURL: { type: 'string' } }) },
        'sync-policy': object({ automated: object({ prune: { type: 'boolean' } }) }),
        class: object({ name: { type: 'string' } }),
        labels: { type: 'object', additionalProperties: object({ value: { type: 'string' } }) },
      },
      { required: ['source'] },
    ),
    status: object({ health: object({ status: { type: 'string' } }) }),
  }),
)
// A kind whose name is one the path of Application's spec gives: the kind keeps it.
const applicationSpec = crd('ApplicationSpec', object({ spec: object({ a: { type: 'string' } }) }))

const declared = (content: string): string[] =>
  [...content.matchAll(/^export interface (\w+)/gm)].map((m) => m[1] ?? '')

describe('nestedTypeName', () => {
  it.each([
    { given: ['Application', ['spec', 'source', 'helm']], want: 'ApplicationSpecSourceHelm' },
    { given: ['VirtualService', ['spec', 'http']], want: 'VirtualServiceSpecHttp' },
    {
      given: ['Probe', ['spec', 'x-kubernetes-foo', 'bar_baz']],
      want: 'ProbeSpecXKubernetesFooBarBaz',
    },
    { given: ['Widget', ['spec', '']], want: 'WidgetSpec' },
  ] as const)('$given → $want', ({ given: [parent, path], want }) => {
    expect(nestedTypeName(parent, path)).toBe(want)
  })
})

describe('named sub-types of CRD schemas', () => {
  it('name every nested object by its path, after the kinds and schemas claimed theirs', async () => {
    const { files } = await generate({
      groupVersions: crdInputs([application, applicationSpec]),
      lockfileHash: 'x',
      options: { nocheck: false },
    })
    const content = files.get('argoproj.io/v1alpha1.ts') ?? ''
    expect(declared(content)).toEqual([
      'Application',
      'ApplicationSpec_2',
      'ApplicationSpecClass',
      'ApplicationSpecLabels',
      'ApplicationSpecSource',
      'ApplicationSpecSourceHelm',
      'ApplicationSpecSources',
      'ApplicationSpecSyncPolicy',
      'ApplicationSpecSyncPolicyAutomated',
      'ApplicationStatus',
      'ApplicationStatusHealth',
      'ApplicationList',
      'ApplicationSpec',
      'ApplicationSpecSpec',
      'ApplicationSpecList',
    ])
    expect(content).toMatch(/^ {4}spec\?: ApplicationSpec_2 \| null;$/m)
    expect(content).toMatch(/^ {4}sources\?: ApplicationSpecSources\[\] \| null;$/m)
    expect(content).toMatch(/^ {8}\[key: string\]: ApplicationSpecLabels \| null;$/m)
    expect(content).toMatch(/^ {4}'sync-policy'\?: ApplicationSpecSyncPolicy \| null;$/m)
  })

  it('are the same whatever order the CRDs come in', async () => {
    const one = await generate({
      groupVersions: crdInputs([application, applicationSpec]),
      lockfileHash: 'x',
    })
    const two = await generate({
      groupVersions: crdInputs([applicationSpec, application]),
      lockfileHash: 'x',
    })
    expect(two.files).toEqual(one.files)
  })

  it('are named in compiler messages instead of an inline structure', async () => {
    const { files } = await generate({
      groupVersions: crdInputs([application]),
      lockfileHash: 'x',
      options: { nocheck: false },
    })
    let messages: string[] = []
    const user = [
      "import type { Application } from './argoproj.io/v1alpha1.js'",
      "export const app: Application = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: { source: { helm: { releasName: 'x' } } } }",
    ].join('\n')
    // Written out as a user's project: the output, the user's file and the runtime package.
    const dir = await mkdtemp(join(tmpdir(), 'nested-names-'))
    try {
      for (const [path, content] of [...files, ['user.ts', user] as const]) {
        await mkdir(dirname(join(dir, path)), { recursive: true })
        await writeFile(join(dir, path), content)
      }
      await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
      await mkdir(join(dir, 'node_modules', '@k8s-codegen'), { recursive: true })
      await symlink(
        dirname(require.resolve('@k8s-codegen/runtime/package.json')),
        join(dir, 'node_modules', '@k8s-codegen', 'runtime'),
      )
      const program = ts.createProgram([join(dir, 'user.ts')], {
        strict: true,
        exactOptionalPropertyTypes: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        noEmit: true,
        types: [],
      })
      messages = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    expect(messages).toEqual([
      expect.stringContaining("'releasName' does not exist in type 'ApplicationSpecSourceHelm'"),
    ])
  })
})

// Required-ness of built-in kinds: the v3 documents a 1.27+ apiserver serves carry kube-openapi's
// zero-value markers (`default: ""`, `0`, `false`, `{}` beside `required`), the v2 documents do
// not. kube-apiserver never applies those defaults to built-ins (Go defaulting, then validation),
// so the types generated from both must agree field by field.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { splitV2Document } from '@k8s-codegen/openapi'
import { recordedProfileDir } from '@k8s-codegen/testkit'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { generate, type GroupVersionInput } from '../src/index.js'
import { recordedInputs } from './_inputs.js'

const dir = recordedProfileDir()
if (dir === undefined) {
  console.warn(
    'required-fields.test.ts skipped: ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR)',
  )
}

/** `module#Interface.property` → required, for every interface property of the output. */
function requiredness(files: ReadonlyMap<string, string>): Map<string, boolean> {
  const out = new Map<string, boolean>()
  for (const [path, content] of files) {
    const source = ts.createSourceFile(path, content, ts.ScriptTarget.Latest, false)
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member)) continue
        const name = member.name.getText(source).replace(/^'|'$/g, '')
        out.set(`${path}#${statement.name.text}.${name}`, member.questionToken === undefined)
      }
    }
  }
  return out
}

// The v2 document of the release closest to the recorded v3 documents (1.26–1.27 era, see
// PROVENANCE.md), split as the apiserver splits it, for the group-versions both record.
function v2Inputs(root: string, keys: ReadonlySet<string>): GroupVersionInput[] {
  const v2: unknown = JSON.parse(readFileSync(join(root, 'v2', 'kubernetes-1.28.json'), 'utf8'))
  return [...splitV2Document(v2)]
    .filter(([key]) => keys.has(key))
    .map(([key, document]) => {
      const [, group = '', version = ''] = key.startsWith('api/')
        ? ['', '', key.slice(4)]
        : key.split('/')
      return { key, group, version, hash: `v2-${key}`, document }
    })
}

// Fields whose required-ness changed between the release of the v3 documents and 1.28, each
// checked to carry no default in the v3 document (so no marker is involved).
const CHANGED_IN_1_28 = [
  // batch/v1 PodFailurePolicyRule: `onPodConditions` became optional in 1.28 (onExitCodes or
  // onPodConditions); the 1.27-era v3 document lists it in `required` without a default.
  {
    field: 'batch/v1.ts#PodFailurePolicyRule.onPodConditions',
    v3Required: true,
    v2Required: false,
  },
]

describe.skipIf(dir === undefined)('required fields of built-in kinds', () => {
  it(
    'are the same from the recorded v3 documents (zero-value defaults beside required) as from v2',
    { timeout: 120_000 },
    async () => {
      const v3 = await recordedInputs(dir ?? '')
      const v2 = v2Inputs(dir ?? '', new Set(v3.map((gv) => gv.key)))
      const options = { docs: false }
      const fromV3 = requiredness(
        (await generate({ groupVersions: v3, lockfileHash: 'v3', options })).files,
      )
      const fromV2 = requiredness(
        (await generate({ groupVersions: v2, lockfileHash: 'v2', options })).files,
      )
      const both = [...fromV3.keys()].filter((key) => fromV2.has(key))
      // Every kind of the recorded documents is compared, not a sample: its interface has a
      // required `kind` on both sides.
      const kinds = [...fromV3].filter(([key, required]) => key.endsWith('.kind') && required)
      expect(kinds.length).toBeGreaterThan(50)
      expect(kinds.filter(([key]) => fromV2.get(key) !== true).map(([key]) => key)).toEqual([])
      const differing = both
        .filter((key) => fromV3.get(key) !== fromV2.get(key))
        .map((key) => ({ field: key, v3Required: fromV3.get(key), v2Required: fromV2.get(key) }))
      expect(differing).toEqual(CHANGED_IN_1_28)
      // The fields the issue names, spelled out.
      for (const field of [
        'core/v1.ts#Container.name',
        'core/v1.ts#ContainerPort.containerPort',
        'core/v1.ts#EnvVar.name',
        'core/v1.ts#KeyToPath.key',
        'core/v1.ts#KeyToPath.path',
        'core/v1.ts#NodeSelectorRequirement.key',
        'meta/v1.ts#LabelSelectorRequirement.key',
        'meta/v1.ts#LabelSelectorRequirement.operator',
      ]) {
        expect({ field, required: fromV3.get(field) }).toEqual({ field, required: true })
      }
    },
  )
})

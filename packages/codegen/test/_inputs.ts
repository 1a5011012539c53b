import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import {
  crdsToOpenApiV3,
  loadCrds,
  shippedCrdBaseline,
  validateCrd,
  type CustomResourceDefinition,
} from '@k8s-codegen/openapi'

import type { GroupVersionInput } from '../src/index.js'

const fixtures = new URL('./fixtures/', import.meta.url)

/** A project-authored fixture document as a group-version input. */
export function fixtureGroupVersion(
  file: string,
  key: string,
  discovery?: GroupVersionInput['discovery'],
): GroupVersionInput {
  const [, group = '', version = ''] = key.startsWith('api/')
    ? ['', '', key.slice(4)]
    : key.split('/')
  const document: unknown = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8'))
  return {
    key,
    group,
    version,
    hash: `fixture-${file}`,
    document,
    ...(discovery ? { discovery } : {}),
  }
}

/** The two fixture group-versions the golden output is generated from. */
export function goldenInputs(): GroupVersionInput[] {
  return [fixtureGroupVersion('mini-core-v1.json', 'api/v1'), exampleDevV1()]
}

/** The example.dev/v1 fixture as `--crds` or `fetch` locks a CRD group-version: with its CRD facts. */
export function exampleDevV1(): GroupVersionInput {
  return {
    ...fixtureGroupVersion('example-dev-v1.json', 'apis/example.dev/v1'),
    crdFacts: {
      resources: [
        { name: 'gadgets', kind: 'Gadget' },
        { name: 'widgets', kind: 'Widget' },
      ],
    },
  }
}

/** Every v3 document of the recorded profile (`<dir>/v3/**`) as group-version inputs. */
export async function recordedInputs(dir: string): Promise<GroupVersionInput[]> {
  const root = join(dir, 'v3')
  const inputs: GroupVersionInput[] = []
  const load = (key: string, file: string, group: string, version: string): void => {
    inputs.push({
      key,
      group,
      version,
      hash: `recorded-${key}`,
      document: JSON.parse(readFileSync(file, 'utf8')) as unknown,
    })
  }
  load('api/v1', join(root, 'api', 'v1.json'), '', 'v1')
  for (const group of (await readdir(join(root, 'apis'))).sort()) {
    for (const file of (await readdir(join(root, 'apis', group))).sort()) {
      const version = file.replace(/\.json$/, '')
      load(`apis/${group}/${version}`, join(root, 'apis', group, file), group, version)
    }
  }
  return inputs
}

/**
 * A namespaced CRD object of one served version, its plural the kind's lowercase name plus `s`.
 */
export function crdObject(
  group: string,
  version: string,
  kind: string,
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const plural = `${kind.toLowerCase()}s`
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        { name: version, served: true, storage: true, schema: { openAPIV3Schema: schema } },
      ],
    },
  }
}

/**
 * CRD objects validated and converted as `generate --crds` converts them (against the shipped
 * baseline), as the group-version inputs its lockfile yields: with their CRD facts.
 */
export function crdInputs(values: readonly Record<string, unknown>[]): GroupVersionInput[] {
  const crds = values.map((value, index) =>
    validateCrd({ where: { file: 'crds.yaml', index }, value }),
  )
  return lockedCrdInputs(crds)
}

// What the lockfile of `generate --crds` yields for a CRD set: documents with their CRD facts.
function lockedCrdInputs(crds: readonly CustomResourceDefinition[]): GroupVersionInput[] {
  return crdsToOpenApiV3(crds, shippedCrdBaseline()).map((gv) => ({
    key: gv.key,
    group: gv.group,
    version: gv.version,
    hash: `crd-${gv.key}`,
    document: gv.document,
    discovery: gv.discovery,
    crdFacts: gv.facts,
  }))
}

const corpus = new URL('../../cli/test/corpus/crds/', import.meta.url)

/**
 * The CRDs of one project of the CLI's real-world corpus (`packages/cli/test/corpus/crds/<project>`),
 * read, validated and converted as `generate --crds` does.
 */
export async function corpusCrdInputs(project: string): Promise<GroupVersionInput[]> {
  const { crds } = await loadCrds([fileURLToPath(new URL(project, corpus))], { cwd: process.cwd() })
  return lockedCrdInputs(crds)
}

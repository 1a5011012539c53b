// A CRD whose schema name is a built-in's (kind `Scale` in group `autoscaling.api.k8s.io` is
// named `io.k8s.api.autoscaling.v1.Scale`, apiextensions-apiserver builder.go generateBuilder's
// reversed group) never replaces the built-in type, whether the built-ins come from a fetched
// lockfile (`--base`) or from the baseline shipped for CRDs alone.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { crdsToOpenApiV3, shippedCrdBaseline, validateCrd } from '@k8s-codegen/openapi'
import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { generate, type GroupVersionInput } from '../src/index.js'

function crd(group: string, kind: string, scale: boolean): Record<string, unknown> {
  const plural = `${kind.toLowerCase()}s`
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${group}`,
      annotations: {
        'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111',
      },
    },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(scale
            ? {
                subresources: {
                  scale: {
                    specReplicasPath: '.spec.replicas',
                    statusReplicasPath: '.status.replicas',
                  },
                },
              }
            : {}),
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { target: { type: 'string' }, replicas: { type: 'integer' } },
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  }
}

/** CRDs converted as `generate --crds` converts them against the shipped baseline. */
function crdInputs(values: Record<string, unknown>[]): GroupVersionInput[] {
  const crds = values.map((value, index) =>
    validateCrd({ where: { file: 'crds.yaml', index }, value }),
  )
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

const scaleCrd = crd('autoscaling.api.k8s.io', 'Scale', false)
const widgetCrd = crd('example.dev', 'Widget', true)
const dir = recordedProfileDir()

function recordedAutoscalingV1(): GroupVersionInput[] {
  if (dir === undefined) return []
  const file = join(dir, 'v3', 'apis', 'autoscaling', 'v1.json')
  const document: unknown = JSON.parse(readFileSync(file, 'utf8'))
  return [
    { key: 'apis/autoscaling/v1', group: 'autoscaling', version: 'v1', hash: 'recorded', document },
  ]
}

const SCALE = /^export interface Scale \{[^]*?\n {4}apiVersion: '([^']+)';/m

describe('built-in schema names', () => {
  it.each([
    {
      name: 'without --base, beside a CRD whose /scale uses the built-in Scale',
      given: crdInputs([scaleCrd, widgetCrd]),
      want: { builtin: 'autoscaling/v1', crd: 'autoscaling.api.k8s.io/v1' },
    },
    {
      name: 'without --base, alone',
      given: crdInputs([scaleCrd]),
      want: { builtin: undefined, crd: 'autoscaling.api.k8s.io/v1' },
    },
    ...(dir === undefined
      ? []
      : [
          {
            name: 'with --base: the fetched autoscaling/v1 document',
            given: [...recordedAutoscalingV1(), ...crdInputs([scaleCrd, widgetCrd])],
            want: { builtin: 'autoscaling/v1', crd: 'autoscaling.api.k8s.io/v1' },
          },
        ]),
  ])('are never taken by a CRD: $name', async ({ given, want }) => {
    const { files, warnings } = await generate({ groupVersions: given, lockfileHash: 'x' })
    const scaleIn = (path: string): string | undefined => SCALE.exec(files.get(path) ?? '')?.[1]
    expect({
      builtin: scaleIn('autoscaling/v1.ts'),
      crd: scaleIn('autoscaling.api.k8s.io/v1.ts'),
    }).toEqual(want)
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^apis\/autoscaling\.api\.k8s\.io\/v1: schema io\.k8s\.api\.autoscaling\.v1\.Scale .*built-in.*emitted in its own module autoscaling\.api\.k8s\.io\/v1/,
      ),
    )
    // The CRD's own descriptor types its objects with its own Scale.
    expect(files.get('autoscaling.api.k8s.io/v1.ts')).toContain(
      '$rt.defineResource<Scale, ScaleList>()',
    )
  })
})

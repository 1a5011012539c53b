// One group-version that cannot be generated is skipped — named, with its rule — and every other
// one is generated.
import { describe, expect, it } from 'vitest'

import { generate, type GroupVersionInput } from '../src/index.js'
import { fixtureGroupVersion, goldenInputs } from './_inputs.js'

const lockfileHash = 'sha256-limits'

function nested(depth: number): Record<string, unknown> {
  return depth === 0
    ? { type: 'string' }
    : { type: 'object', properties: { next: nested(depth - 1) } }
}

function withSchema(name: string, schema: unknown): GroupVersionInput {
  const gv = fixtureGroupVersion('example-dev-v1.json', 'apis/example.dev/v1')
  const doc = gv.document as { components: { schemas: Record<string, unknown> } }
  doc.components.schemas[name] = schema
  return gv
}

describe('a group-version that cannot be generated is skipped, the rest generated', () => {
  const rows: {
    name: string
    given: () => { gv: GroupVersionInput; limits?: { documentBytes?: number; depth?: number } }
    code: string
    reason: RegExp
  }[] = [
    {
      name: 'a document over the size limit (bytes as served)',
      given: () => ({
        gv: { ...fixtureGroupVersion('example-dev-v1.json', 'apis/example.dev/v1'), bytes: 2048 },
        limits: { documentBytes: 1024 },
      }),
      code: 'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED',
      reason:
        /the document is 2048 bytes, over the limit of 1024 \(raise it with --max-document-bytes\)/,
    },
    {
      name: 'a schema nested 300 deep (no stack overflow)',
      given: () => ({ gv: withSchema('dev.example.v1.Deep', nested(300)) }),
      code: 'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED',
      reason: /schema "dev.example.v1.Deep" nests deeper than 64 levels/,
    },
    {
      name: 'a nesting just over a configured depth',
      given: () => ({ gv: withSchema('dev.example.v1.Deep', nested(10)), limits: { depth: 8 } }),
      code: 'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED',
      reason: /nests deeper than 8 levels/,
    },
    {
      name: 'a dangling $ref',
      given: () => ({
        gv: withSchema('dev.example.v1.Broken', {
          $ref: '#/components/schemas/dev.example.v1.Missing',
        }),
      }),
      code: 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF',
      reason:
        /schema "dev.example.v1.Broken" has \$ref to "dev.example.v1.Missing", which no generated document defines/,
    },
    {
      name: 'a $ref that is not a local schema',
      given: () => ({
        gv: withSchema('dev.example.v1.Remote', { $ref: 'https://evil.example/x.json' }),
      }),
      code: 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF',
      reason: /is not #\/components\/schemas\/<name>/,
    },
    {
      name: 'a group that is not a DNS-1123 subdomain',
      given: () => ({
        gv: {
          ...fixtureGroupVersion('example-dev-v1.json', 'apis/example.dev/v1'),
          key: 'apis/Evil_Group/v1',
          group: 'Evil_Group',
        },
      }),
      code: 'K8S_CODEGEN_CODEGEN_INVALID_NAME',
      reason: /group "Evil_Group" \/ version "v1" is not a DNS-1123 subdomain \/ label/,
    },
  ]
  it.each(rows)('$name', async ({ given, code, reason }) => {
    const { gv, limits } = given()
    const core = goldenInputs()[0] as GroupVersionInput
    const { files, skipped } = await generate({
      groupVersions: [core, gv],
      lockfileHash,
      options: { nocheck: false, ...(limits === undefined ? {} : { limits }) },
    })
    expect(skipped).toEqual([
      { key: gv.key, code, reason: expect.stringMatching(reason) as string },
    ])
    expect(files.has('core/v1.ts')).toBe(true)
    expect([...files.keys()].some((p) => p.startsWith('example.dev/'))).toBe(false)
  })
})

describe('schema ownership', () => {
  it('keeps the built-in owner of a schema name a tenant document redefines, and warns naming both', async () => {
    const core = goldenInputs()[0] as GroupVersionInput
    // A CRD group whose reversed name is the built-in core package: io.k8s.api.core.v1.Pod.
    const doc = JSON.parse(JSON.stringify(core.document)) as {
      components: { schemas: Record<string, Record<string, unknown>> }
      paths: Record<string, unknown>
    }
    const pod = doc.components.schemas['io.k8s.api.core.v1.Pod'] ?? {}
    pod['x-kubernetes-group-version-kind'] = [
      { group: 'core.api.k8s.io', version: 'v1', kind: 'Pod' },
    ]
    pod.properties = { spec: { type: 'object', properties: { evil: { type: 'string' } } } }
    doc.paths = {}
    const tenant: GroupVersionInput = {
      key: 'apis/core.api.k8s.io/v1',
      group: 'core.api.k8s.io',
      version: 'v1',
      hash: 'tenant',
      document: doc,
    }
    const { files, warnings } = await generate({
      groupVersions: [tenant, core],
      lockfileHash,
      options: { nocheck: false },
    })
    expect(files.get('core/v1.ts')).toContain('spec?: PodSpec;')
    expect(files.get('core/v1.ts')).not.toContain('evil')
    expect(files.get('core.api.k8s.io/v1.ts')).toContain('evil?: string;')
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^apis\/core\.api\.k8s\.io\/v1: schema io\.k8s\.api\.core\.v1\.Pod is the name of a built-in type of core\/v1 \(the one api\/v1 owns\)/,
      ),
    )
  })
})

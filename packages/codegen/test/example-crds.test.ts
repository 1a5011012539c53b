import { exampleCrdDocument } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { generate } from '../src/index.js'

describe('generate on the testkit example.dev/v1 CRD document', () => {
  it('emits the CRD group module with descriptors and normalized CRD extensions', async () => {
    const { files, warnings } = await generate({
      groupVersions: [
        {
          key: 'apis/example.dev/v1',
          group: 'example.dev',
          version: 'v1',
          hash: 'h',
          document: exampleCrdDocument(),
        },
      ],
      lockfileHash: 'sha256-crd',
    })
    expect(warnings).toEqual([])
    const module = files.get('example.dev/v1.ts') ?? ''
    expect(module).toMatch(/^export interface Widget \{/m)
    expect(module).toMatch(/^export const Widget: \$rt\.Resource<\{$/m)
    expect(module).toMatch(/^export const Gadget: \$rt\.Resource<\{$/m)
    expect(module).toContain("scale: { apiVersion: 'autoscaling/v1', kind: 'Scale'")
    expect(module).toContain('number | string')
    expect(module).not.toContain('Record<string, never>')
    expect(files.has('autoscaling/v1.ts')).toBe(true)
  })
})

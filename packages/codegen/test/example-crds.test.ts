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

  it('puts a CRD version deprecation on the interface and descriptor, and its printer columns on the descriptor', async () => {
    const { files, warnings } = await generate({
      groupVersions: [
        {
          key: 'apis/example.dev/v1',
          group: 'example.dev',
          version: 'v1',
          hash: 'h',
          document: exampleCrdDocument(),
          crdFacts: {
            resources: [
              { name: 'gadgets', kind: 'Gadget' },
              {
                name: 'widgets',
                kind: 'Widget',
                deprecationWarning: 'example.dev/v1 Widget is deprecated */ // not code',
                printerColumns: [
                  { name: 'Size', type: 'string', jsonPath: '.spec.size', priority: 1 },
                  {
                    name: 'Age',
                    type: 'date',
                    jsonPath: '.metadata.creationTimestamp',
                    description: 'When it was made',
                    format: 'date-time',
                  },
                ],
              },
            ],
          },
        },
      ],
      lockfileHash: 'sha256-crd',
    })
    expect(warnings).toEqual([])
    const module = files.get('example.dev/v1.ts') ?? ''
    const warning = ' * @deprecated example.dev/v1 Widget is deprecated *\\/ // not code\n'
    expect(module).toContain(`${warning} */\nexport interface Widget {`)
    expect(module).toContain(`${warning} */\nexport const Widget: $rt.Resource<{`)
    // Gadget's facts say nothing of deprecation: only Widget's interface and descriptor do.
    expect(module.split('@deprecated')).toHaveLength(3)
    expect(module).toContain(
      "printerColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size', priority: 1 }, { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'When it was made', format: 'date-time' }], deprecationWarning: 'example.dev/v1 Widget is deprecated */ // not code' });",
    )
    expect(module).toContain('readonly priority: 1;')
  })
})

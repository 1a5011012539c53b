import { describe, expect, it } from 'vitest'

import { applyFixups, type Fixup } from '../src/fixups.js'

const OR_BOOL = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool'

describe('applyFixups', () => {
  it('replaces the untyped JSONSchemaPropsOrBool with its two JSON shapes', () => {
    expect(applyFixups(OR_BOOL, { description: 'd' })).toEqual({
      description: 'd',
      oneOf: [
        {
          $ref: '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps',
        },
        { type: 'boolean' },
      ],
    })
  })

  it('fails loudly when upstream fixed the schema the fixup patches', () => {
    expect(() => applyFixups(OR_BOOL, { oneOf: [{ type: 'boolean' }] })).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_CODEGEN_FIXUP_STALE',
        message: expect.stringContaining(OR_BOOL) as string,
      }) as Error,
    )
  })

  it('leaves schemas without a fixup untouched and replaces Quantity by name', () => {
    const served = { type: 'string' }
    expect(applyFixups('io.k8s.api.core.v1.Pod', served)).toBe(served)
    expect(applyFixups('io.k8s.apimachinery.pkg.api.resource.Quantity', served)).toEqual({
      oneOf: [{ type: 'string' }, { type: 'number' }],
    })
  })

  it('applies a custom fixup table', () => {
    const fixups: Fixup[] = [
      {
        schema: 'a.B',
        reason: 'test',
        applies: (s) => s.type === 'string',
        replacement: { type: 'integer' },
      },
    ]
    expect(applyFixups('a.B', { type: 'string' }, fixups)).toEqual({ type: 'integer' })
  })
})

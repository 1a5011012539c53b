// Hostile rules stay bounded: a rule made slow by nested comprehensions over a big list stops at
// the per-call limit (apiserver pkg/apis/cel/config.go PerCallLimit) with the server's text from
// validation.go validateExpressions, and no further rule runs; the rules of one object share the
// per-object budget (RuntimeCELCostBudget). The cost is cel-go's, counted by
// src/cel/library/cost.ts trackCost.
import { describe, expect, it } from 'vitest'
import { validateRules } from '../../src/cel/validate-rules.js'
import { validateObject, type Schema } from '../../src/index.js'

const slow = 'self.all(x, self.all(y, self.all(z, x + y + z > -1)))'
const document = (items: Schema) => ({
  components: {
    schemas: {
      'com.example.v1.W': {
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: 'example.com', version: 'v1', kind: 'W' }],
        properties: { spec: { type: 'object', properties: { items } } },
      },
    },
  },
})
const w = (items: unknown) => ({
  apiVersion: 'example.com/v1',
  kind: 'W',
  metadata: { name: 'w' },
  spec: { items },
})

describe('CEL cost limits', () => {
  it('stops a rule at the per-call limit and runs no further rule', () => {
    const doc = document({
      type: 'array',
      items: { type: 'integer' },
      'x-kubernetes-validations': [
        { rule: slow },
        { rule: 'size(self) < 5', message: 'never run' },
      ],
    })
    const status = validateObject(doc, w(Array.from({ length: 2000 }, (_, i) => i)))
    expect(status?.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.items',
        message: `Invalid value: "array": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${slow}`,
      },
    ])
  })

  it('stops every rule once the object has spent its budget', () => {
    const items: Schema = {
      type: 'array',
      items: {
        type: 'array',
        items: { type: 'integer' },
        'x-kubernetes-validations': [{ rule: 'self.all(x, x >= 0)' }],
      },
    }
    const schema: Schema = { type: 'object', properties: { items } }
    const lists = Array.from({ length: 10 }, () => Array.from({ length: 100 }, (_, i) => i))
    // Each rule costs 502, as cel-go counts it over 100 elements (its cost in kube-apiserver's
    // environment, from the Go oracle of test/cel-library): `self` 1, 5 per element (the loop
    // condition's call and accumulator, the accumulator, `x` and `>=` of the step), the result 1.
    // Four rules spend 2,008 of 2,259; the fifth, at items[4], costs more than the 251 left.
    const errs = validateRules((s) => s, schema, { items: lists }, undefined, 2_259)
    expect(errs).toEqual([
      {
        type: 'FieldValueInvalid',
        field: 'items[4]',
        badValue: 'array',
        detail:
          'validation failed due to running out of cost budget, no further validation rules will be run',
      },
    ])
  })
})

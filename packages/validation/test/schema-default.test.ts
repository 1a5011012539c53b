// A CRD schema node's `default` as kube-apiserver 1.37 checks it when the CRD is written
// (defaulting/validation.go validate): the messages are those it answered in testkit's
// server-parity "a CRD whose schema defaults break …".
import { describe, expect, it } from 'vitest'
import { errorString, type Schema } from '../src/index.js'
import { validateSchemaDefault } from '../src/schema-default.js'

const at = 'p.default'

const rows: { given: Schema; want: string[] }[] = [
  { given: { type: 'integer', default: 1 }, want: [] },
  {
    given: { type: 'integer', default: 'x' },
    want: [`${at}: Invalid value: "string":  in body must be of type integer: "string"`],
  },
  {
    given: { type: 'string', maxLength: 2, default: 'long' },
    want: [`${at}: Too long: may not be more than 2 bytes`],
  },
  {
    given: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 1 } },
    want: [`${at}: Invalid value: {"a":"x","b":1}: must not have unknown fields`],
  },
  {
    given: {
      type: 'integer',
      default: 0,
      'x-kubernetes-validations': [{ rule: 'self > 0', message: 'must be positive' }],
    },
    want: [`${at}: Invalid value: 0: must be positive`],
  },
  {
    given: { type: 'array', items: { type: 'string' }, default: ['x', 2] },
    want: [`${at}.[1]: Invalid value: "integer": [1] in body must be of type string: "integer"`],
  },
]

describe('validateSchemaDefault', () => {
  it.each(rows)('$want', ({ given, want }) => {
    expect(validateSchemaDefault(given, at).map(errorString)).toEqual(want)
  })
})

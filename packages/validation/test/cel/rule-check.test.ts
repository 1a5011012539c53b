// What a CRD's rules are checked for when the CRD is written (compile.ts checkRule), with the
// reports kube-apiserver 1.37 gave for the same rules (testkit server-parity
// "a CRD whose x-kubernetes-validations do not compile …"): an undeclared field byte-equal, a
// syntax error in the same frame with the parser's own wording.
import { describe, expect, it } from 'vitest'
import { checkRule } from '../../src/cel/compile.js'
import type { Schema, ValidationRule } from '../../src/index.js'

const spec: Schema = {
  type: 'object',
  properties: {
    a: { type: 'integer' },
    m: { type: 'object', additionalProperties: { type: 'string' } },
    o: { type: 'object', properties: { namespace: { type: 'string' } } },
    any: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
}

const rows: { given: ValidationRule; want: ReturnType<typeof checkRule> }[] = [
  { given: { rule: 'self.a > 0' }, want: { usesOldSelf: false } },
  { given: { rule: 'self.a == oldSelf.a' }, want: { usesOldSelf: true } },
  {
    given: { rule: 'self.nope == 1' },
    want: {
      ruleError: "ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^",
      usesOldSelf: false,
    },
  },
  {
    given: { rule: 'self.a > 0 &&\n  oldSelf.o.nope' },
    want: {
      ruleError:
        "ERROR: <input>:2:12: undefined field 'nope'\n |   oldSelf.o.nope\n | ...........^",
      usesOldSelf: false,
    },
  },
  // Map keys, preserved unknown fields and escaped names are no undeclared fields.
  { given: { rule: "self.m.anything == 'x'" }, want: { usesOldSelf: false } },
  { given: { rule: 'self.any.whatever == 1' }, want: { usesOldSelf: false } },
  { given: { rule: "self.o.__namespace__ == 'x'" }, want: { usesOldSelf: false } },
  // With optionalOldSelf, oldSelf is an optional: its fields are not the schema's.
  {
    given: { rule: 'oldSelf.hasValue()', optionalOldSelf: true },
    want: { usesOldSelf: true },
  },
  {
    given: { rule: 'self.a >' },
    want: {
      ruleError:
        'ERROR: <input>:1:8: Syntax error: found > but expecting end of input\n | self.a >\n | .......^',
      usesOldSelf: false,
    },
  },
  {
    given: { rule: 'self.a > 0', messageExpression: "'a is ' + self.b" },
    want: {
      messageExpressionError:
        "ERROR: <input>:1:15: undefined field 'b'\n | 'a is ' + self.b\n | ..............^",
      usesOldSelf: false,
    },
  },
]

describe('checkRule', () => {
  it.each(rows)('$given.rule', ({ given, want }) => {
    expect(checkRule(given, spec)).toEqual(want)
  })
})

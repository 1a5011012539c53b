// The Kubernetes CEL library against kube-apiserver's own: every row of library-facts.json is
// an expression and what cel-go answered in k8s.io/apiserver's CRD environment (1.37), recorded
// by oracle/main.go from the `expr:` literals of k8s.io/apiserver pkg/cel/library/*_test.go and
// oracle/expressions.json. Rows cel-go refuses when it compiles (type errors, malformed
// literals: `compileError`) are rules kube-apiserver never evaluates, so they are no fact about
// evaluation and are left out here.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { evaluate } from './_evaluate.js'

interface Fact {
  given: string
  from: string
  want: { value?: string; error?: string; compileError?: string; cost?: number }
}

const facts = (
  JSON.parse(readFileSync(new URL('library-facts.json', import.meta.url), 'utf8')) as {
    rows: Fact[]
  }
).rows

// Where this library answers otherwise, and why (each also in the package README).
const differs = new Map<string, string>([
  [
    "'%e'.format([1234.5])",
    "cel-go formats %e through golang.org/x/text's en_US printer ('1.234500×10⁰³'); @bufbuild/cel's format prints '1.234500e+03'",
  ],
  [
    "'%s'.format([[1, 'a']])",
    'cel-go quotes the strings inside a list for %s; @bufbuild/cel does not',
  ],
  ["'%s'.format([{'k': 1}])", 'cel-go prints a map for %s as {"k":1}; @bufbuild/cel as {k: 1}'],
  [
    "{'a': 1}[?'a'].orValue(0)",
    "optional index syntax (m[?k]): @bufbuild/cel's parser has no optional syntax",
  ],
  [
    "{'a': 1}.?b.orValue(0)",
    "optional field syntax (m.?f): @bufbuild/cel's parser has no optional syntax",
  ],
])

const evaluated = facts.filter((f) => f.want.compileError === undefined)
const same = evaluated.filter((f) => !differs.has(f.given))
const other = evaluated.filter((f) => differs.has(f.given))

describe('Kubernetes CEL library: what kube-apiserver answers', () => {
  it.each(same)('$given', ({ given, want }) => {
    const got = evaluate(given)
    if (want.error !== undefined) expect(got).toMatchObject({ error: want.error })
    else expect(got).toMatchObject({ value: want.value })
  })
})

describe('Kubernetes CEL library: where it is known to answer otherwise', () => {
  it.each(other)('$given', ({ given, want }) => {
    expect(evaluate(given)).not.toMatchObject(
      want.error !== undefined ? { error: want.error } : { value: want.value },
    )
  })
})

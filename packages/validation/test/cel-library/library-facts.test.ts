// The Kubernetes CEL library against kube-apiserver's own: every row of library-facts.json is
// an expression and what cel-go answered in k8s.io/apiserver's CRD environment (1.37), recorded
// by oracle/main.go from the `expr:` literals of k8s.io/apiserver pkg/cel/library/*_test.go and
// oracle/expressions.json.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { evaluate } from './_evaluate.js'

interface Fact {
  given: string
  from: string
  want: { value?: string; error?: string; compileError?: string; cost?: number }
}

const facts = JSON.parse(
  readFileSync(new URL('library-facts.json', import.meta.url), 'utf8'),
) as Fact[]

// Rows whose answer comes from something other than evaluation, each with why.
const notEvaluation = new Map<string, string>([])

const runtime = facts.filter(
  (f) => f.want.compileError === undefined && !notEvaluation.has(f.given),
)

describe('Kubernetes CEL library: what kube-apiserver answers', () => {
  it.each(runtime)('$given', ({ given, want }) => {
    const got = evaluate(given)
    if (want.error !== undefined) expect(got).toMatchObject({ error: want.error })
    else expect(got).toMatchObject({ value: want.value })
  })
})

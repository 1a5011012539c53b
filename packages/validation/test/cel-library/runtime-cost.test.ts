// The runtime cost limit: kube-apiserver stops a rule past cel-go's PerCallLimit with
// "operation cancelled: actual cost limit exceeded" (k8s.io/apiserver pkg/apis/cel config.go,
// cel-go interpreter/runtimecost.go); trackCost counts what cel-go counts (src/cel/library/cost.ts
// says where it differs) and replaces the value of an evaluation past the limit.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  costLimitExceededMessage,
  perCallLimit,
  runtimeCelCostBudget,
} from '../../src/cel/library/index.js'
import { evaluate } from './_evaluate.js'

interface Fact {
  given: string
  want: { value?: string; error?: string; compileError?: string; cost?: number }
}
const facts = (
  JSON.parse(readFileSync(new URL('library-facts.json', import.meta.url), 'utf8')) as {
    rows: Fact[]
  }
).rows.filter((f) => f.want.compileError === undefined && f.want.cost !== undefined)

const range = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i))

describe('cost counted as cel-go counts it', () => {
  // The rows of library-facts.json where this library's count is cel-go's actual cost exactly.
  const exact = [
    '[1, 2, 3].map(x, x * x)',
    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.matches('(a+)+$')",
    'sets.equivalent([1, 2, 3], [3, 2, 1, 1])',
    'quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger() > 0',
    'cidr("2001:db8::/32").containsCIDR("2001:db8::/33")',
    "'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()",
    'format.uri().validate("http://example.com")',
    'format.dns1123Subdomain().validate("apiextensions.k8s.io")',
    "url('https://example.com:80/path?query=val#fragment').getHost()",
    "{'a': 1, 'b': 2}.exists(k, v, v > 0)",
    // the loop condition of all/exists, a call to cel-go: 1 per iteration
    '[[1, 2], [3]].all(x, x.size() > 0)',
  ]
  it.each(exact.map((given) => ({ given, want: facts.find((f) => f.given === given)?.want.cost })))(
    '$given costs $want',
    ({ given, want }) => {
      expect(evaluate(given).cost).toBe(want)
    },
  )

  it('matches cel-go on most rows of the facts, and never by less than half or more than 15 times', () => {
    // (the rows made to pass the limit are the next tests' business)
    const rows = facts
      .filter((f) => (f.want.cost ?? 0) < 100_000)
      .map((f) => ({
        given: f.given,
        want: f.want.cost ?? 0,
        got: evaluate(f.given).cost,
      }))
    const equal = rows.filter((r) => r.got === r.want).length
    expect(equal / rows.length).toBeGreaterThan(0.85)
    // Every difference is one of those cost.ts names: literals cel-go folds at compile time
    // (cel-go 0, here a little), has() (cel-go 1, here 0).
    expect(rows.filter((r) => r.want > 2 && (r.got < r.want / 2 || r.got > r.want * 15))).toEqual(
      [],
    )
  })
})

describe('the per-call limit', () => {
  it.each([
    {
      given: 'self.all(x, self.all(y, x >= 0))',
      self: range(2000),
      want: { error: costLimitExceededMessage },
    },
    // Within the limit: 100 × 100 steps.
    { given: 'self.all(x, self.all(y, x >= 0))', self: range(100), want: { value: 'true' } },
  ])('$given over $self.length elements', ({ given, self, want }) => {
    expect(evaluate(given, { self })).toMatchObject(want)
  })

  // With a limit of 10,000 (as trackCost takes any), to keep the tests short.
  it.each([
    // `||` would swallow the error value; the evaluation is still refused.
    {
      given: 'self.all(x, self.all(y, x >= 0)) || true',
      want: { error: costLimitExceededMessage },
    },
    {
      given: 'true && self.map(x, self.map(y, x + y)).size() > 0',
      want: { error: costLimitExceededMessage },
    },
    {
      given: 'self.exists(x, x < 0) ? 1 : self.filter(x, self.exists(y, x < y)).size()',
      want: { error: costLimitExceededMessage },
    },
  ])('$given over 2,000 elements', ({ given, want }) => {
    expect(evaluate(given, { self: range(2000) }, 10_000)).toMatchObject(want)
  })

  it('stops at the limit, not after the work the rule asks for (25,000,000 steps)', () => {
    const got = evaluate('self.all(x, self.all(y, x >= 0))', { self: range(5000) }, 10_000)
    expect(got.error).toBe(costLimitExceededMessage)
    expect(got.cost).toBeLessThanOrEqual(10_000 + 100)
  })

  it('refuses a call priced past the limit before running it', () => {
    const got = evaluate("s.matches('^(a|b|c|d|e)+$')", { s: 'a'.repeat(3_000_000) })
    // `s` (1), then (1 + 3,000,000) × 0.1 × ceil(14 × 0.25)
    expect(got).toMatchObject({ error: costLimitExceededMessage, cost: 1_200_005 })
  })

  it('takes a smaller limit (what is left of the budget of an object)', () => {
    expect(evaluate('self.all(x, x >= 0)', { self: range(100) }, 50)).toMatchObject({
      error: costLimitExceededMessage,
    })
    expect(evaluate('self.all(x, x >= 0)', { self: range(10) }, 1000)).toMatchObject({
      value: 'true',
    })
  })

  it('has kube-apiserver numbers', () => {
    expect({ perCallLimit, runtimeCelCostBudget }).toEqual({
      perCallLimit: 1_000_000,
      runtimeCelCostBudget: 10_000_000,
    })
  })
})

describe('hostile input', () => {
  const a = 'a'.repeat(100_000)
  it.each([
    // RE2: no backtracking, whatever the pattern.
    { given: "s.matches('(a+)+$')", s: `${a}!`, want: { value: 'false' } },
    { given: "s.find('(a|aa)+b')", s: a, want: { value: '""' } },
    { given: "s.findAll('a*').size()", s: 'ab'.repeat(50_000), want: { value: '50001' } },
    // Cost grows with the string: a regex over 3 MB of text passes the limit.
    // (1 + 3,000,000) × 0.1 × ceil(14 × 0.25)
    {
      given: "s.matches('^(a|b|c|d|e)+$')",
      s: 'a'.repeat(3_000_000),
      want: { error: costLimitExceededMessage },
    },
    {
      given: "s.split('').size() > 0 && s.split('').size() > 0",
      s: 'a'.repeat(3_000_000),
      want: { error: costLimitExceededMessage },
    },
    { given: "'x'.replace('', s).size()", s: a, want: { value: '200001' } },
  ])('$given', ({ given, s, want }) => {
    expect(evaluate(given, { s })).toMatchObject(want)
  })

  it('refuses an expression nested deeper than cel-go parses (250)', () => {
    const deep = Array.from({ length: 300 }, () => '1').join(' + ')
    expect(evaluate(deep)).toMatchObject({ error: 'max recursion depth exceeded' })
    const shallow = Array.from({ length: 200 }, () => '1').join(' + ')
    expect(evaluate(shallow)).toMatchObject({ value: '200' })
  })

  it('bounds a quantity made to build a huge number', () => {
    expect(evaluate("quantity('1e999999999').isGreaterThan(quantity('1'))")).toMatchObject({
      value: 'true',
    })
    expect(evaluate("quantity('1e999999999').add(quantity('1')).sign()")).toMatchObject({
      error: 'quantity out of range',
    })
  })
})

// The CEL conformance tests @bufbuild/cel-spec ships (google/cel-spec tests/simple/testdata, as
// cel.expr.conformance.test.SimpleTest messages), run with the Kubernetes library loaded, for the
// sections the Kubernetes CRD environment has (k8s.io/apiserver pkg/cel/environment/base.go):
// the standard library, its macros, cel-go's strings extension and two-variable comprehensions.
// The sections it lacks are left out: protobuf messages, enums and wrappers (a CRD rule sees
// JSON), cel.bind, cel.block, base64 encoders and ext math (not in the environment), namespaces
// (a rule has no container), type deductions (type-checker facts, no evaluation) and unknowns.
import { celList, celMap, celUint, isCelError, parse, plan, celEnv } from '@bufbuild/cel'
import type { CelValue } from '@bufbuild/cel'
import type { Value } from '@bufbuild/cel-spec/cel/expr/value_pb.js'
import {
  getConformanceSuite,
  type IncrementalTest,
  type IncrementalTestSuite,
} from '@bufbuild/cel-spec/testdata/tests.js'
import { describe, expect, it } from 'vitest'
import {
  celText,
  kubernetesCelFunctions,
  kubernetesCelRegistry,
  prepareRule,
  trackCost,
} from '../../src/cel/library/index.js'

const sections = [
  'basic',
  'comparisons',
  'conversions',
  'fields',
  'fp_math',
  'integer_math',
  'lists',
  'logic',
  'macros',
  'macros2',
  'parse',
  'plumbing',
  'string',
  'string_ext',
  'timestamps',
]

// Tests of those sections this library does not pass, with why (each also in the README).
const engine = "@bufbuild/cel's parser has no quoted field syntax (m.`a-b`)"
const dotted = "@bufbuild/cel resolves no dotted variable name (a binding named 'a.b.c')"
const messages = 'builds a protobuf message (TestAllTypes), which a CRD rule cannot'
const k8s =
  'kube-apiserver pins cel-go v0.29.2 at strings version 2, where an offset past the end gives -1 (k8s.io/apiserver go.mod; cel-go ext/strings.go indexOfOffset); the conformance data follows a later cel-go that errs'
const known = new Map<string, string>([
  ['fields/quoted_map_fields/field_access_slash', engine],
  ['fields/quoted_map_fields/field_access_dash', engine],
  ['fields/quoted_map_fields/field_access_dot', engine],
  ['fields/quoted_map_fields/has_field_slash', engine],
  ['fields/quoted_map_fields/has_field_dash', engine],
  ['fields/quoted_map_fields/has_field_dot', engine],
  ['fields/qualified_identifier_resolution/qualified_ident', dotted],
  ['fields/qualified_identifier_resolution/map_field_select', dotted],
  ['fields/qualified_identifier_resolution/qualified_identifier_resolution_unchecked', dotted],
  ['fields/qualified_identifier_resolution/ident_with_longest_prefix_check', dotted],
  [
    'fields/qualified_identifier_resolution/map_value_repeat_key_heterogeneous',
    '@bufbuild/cel takes 0 and 0u for two keys of a map literal, where cel-go refuses the repeat',
  ],
  ['parse/whitespace/spaces', messages],
  ['parse/whitespace/tabs', messages],
  ['parse/whitespace/new_lines', messages],
  ['parse/whitespace/new_pages', messages],
  ['parse/whitespace/carriage_returns', messages],
  ['parse/comments/new_line_terminated', messages],
  ['string_ext/value_errors/indexof_out_of_range', k8s],
  ['string_ext/value_errors/lastindexof_out_of_range', k8s],
])

const env = celEnv({ funcs: kubernetesCelFunctions, registry: kubernetesCelRegistry })

// cel.expr.Value → CelValue, for the scalar, list and map values these sections use.
function fromValue(v: Value): CelValue | undefined {
  const kind = v.kind
  switch (kind.case) {
    case 'nullValue':
      return null
    case 'boolValue':
    case 'int64Value':
    case 'doubleValue':
    case 'stringValue':
    case 'bytesValue':
      return kind.value
    case 'uint64Value':
      return celUint(kind.value)
    case 'listValue': {
      const items = kind.value.values.map(fromValue)
      return items.every((i) => i !== undefined) ? celList(items) : undefined
    }
    case 'mapValue': {
      const entries = kind.value.entries.map((e) => [
        e.key && fromValue(e.key),
        e.value && fromValue(e.value),
      ])
      return entries.every(([k, val]) => k !== undefined && val !== undefined)
        ? celMap(new Map(entries as [never, CelValue][]))
        : undefined
    }
    case 'enumValue':
    case 'objectValue':
    case 'typeValue':
    case undefined:
      return undefined
  }
}

interface Row {
  name: string
  test: IncrementalTest
}

function rows(suite: IncrementalTestSuite, prefix: string): Row[] {
  return [
    ...suite.tests.map((test) => ({ name: `${prefix}/${test.name}`, test })),
    ...suite.suites.flatMap((s) => rows(s, `${prefix}/${s.name}`)),
  ]
}

function bindingsOf(test: IncrementalTest): Record<string, CelValue> | undefined {
  const out: Record<string, CelValue> = {}
  for (const [name, expr] of Object.entries(test.original.bindings)) {
    const v = expr.kind.case === 'value' ? fromValue(expr.kind.value) : undefined
    if (v === undefined) return undefined
    out[name] = v
  }
  return out
}

// Runnable here: evaluated (not check-only), no container or declared message types, bindings
// and expected value of the kinds above.
const all = getConformanceSuite()
  .suites.filter((s) => sections.includes(s.name))
  .flatMap((s) => rows(s, s.name))
  .filter(({ test }) => {
    const o = test.original
    if (o.checkOnly || o.container !== '' || o.disableMacros) return false
    if (bindingsOf(test) === undefined) return false
    const m = o.resultMatcher
    if (m.case === 'value') return fromValue(m.value) !== undefined
    return m.case === 'evalError' || m.case === 'anyEvalErrors' || m.case === undefined
  })

function run(test: IncrementalTest): { value?: string; error?: string } {
  try {
    const program = plan(env, prepareRule(parse(test.original.expr)))
    const { value } = trackCost(() => program(bindingsOf(test) as never))
    return isCelError(value) ? { error: value.message } : { value: celText(value) }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

function want(test: IncrementalTest): { value: string } | { error: true } {
  const m = test.original.resultMatcher
  if (m.case === 'value') return { value: celText(fromValue(m.value) ?? null) }
  if (m.case === 'evalError' || m.case === 'anyEvalErrors') return { error: true }
  // No matcher: the expression evaluates to true.
  return { value: 'true' }
}

const matches = (test: IncrementalTest) => {
  const got = run(test)
  const w = want(test)
  return 'error' in w ? got.error !== undefined : got.value === w.value && got.error === undefined
}

describe('CEL conformance (the sections of the Kubernetes environment)', () => {
  it.each(all.filter((r) => !known.has(r.name)))('$name', ({ test }) => {
    const got = run(test)
    const w = want(test)
    if ('error' in w) expect(got.error).toBeDefined()
    else expect(got).toEqual({ value: w.value })
  })
})

describe('CEL conformance: the tests named as not passed', () => {
  it.each(all.filter((r) => known.has(r.name)))('$name', ({ test }) => {
    expect(matches(test)).toBe(false)
  })

  it('names only tests that exist', () => {
    const names = new Set(all.map((r) => r.name))
    expect([...known.keys()].filter((n) => !names.has(n))).toEqual([])
  })
})

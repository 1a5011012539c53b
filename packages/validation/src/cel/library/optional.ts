// Optional values (cel.OptionalTypes(), in the Kubernetes environment since 1.28, k8s.io/apiserver
// pkg/cel/environment/base.go): the functions of cel-go cel/library.go optionalLib that the
// format library's `validate` results need. The syntax (`a.?b`, `m[?k]`, `[?x]`, `{?k: v}`) is
// the parser's, and @bufbuild/cel's parser has none of it.
import { celError, celFunc, celMethod, CelScalar, type CelValue } from '@bufbuild/cel'
import { celEquals, celText, opaque } from './_values.js'

/** cel-go types.Optional: a value or none. */
export interface Optional {
  readonly value?: CelValue
}

/** The CEL type `optional_type` and its values. */
export const optionalType = opaque<Optional>(
  'optional_type',
  (o) => ('value' in o ? `of(${celText(o.value)})` : 'none'),
  (o) => ('value' in o ? `optional.of(${celText(o.value)})` : 'optional.none()'),
)

const OPT = optionalType.type
const { DYN, BOOL } = CelScalar
const none = optionalType.wrap({})

/** An optional CEL value holding `value`, or none. */
export const optionalOf = (value: CelValue | undefined) =>
  value === undefined ? none : optionalType.wrap({ value })

const get = (v: CelValue): Optional => optionalType.unwrap(v) ?? {}

// cel-go types.IsZeroValue-like test of optional.ofNonZeroValue.
function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === '' || v === 0n || v === 0) return true
  if (v instanceof Uint8Array) return v.length === 0
  if (typeof v === 'object' && 'size' in v && typeof v.size === 'number') return v.size === 0
  return celEquals(v, 0n)
}

/**
 * `optional.of`, `optional.ofNonZeroValue`, `optional.none`, `hasValue`, `value`, `orValue`, `or`.
 *
 * @example
 * run('optional.none().orValue(5)', {}, { funcs: optionalFunctions }) // 5n
 */
export const optionalFunctions = [
  celFunc('optional.of', [DYN], OPT, (v) => optionalOf(v)),
  celFunc('optional.ofNonZeroValue', [DYN], OPT, (v) => (isZero(v) ? none : optionalOf(v))),
  celFunc('optional.none', [], OPT, () => none),
  celMethod('hasValue', OPT, [], BOOL, function () {
    return 'value' in get(this)
  }),
  celMethod('value', OPT, [], DYN, function () {
    const o = get(this)
    // cel-go types.Optional.GetValue on none: "optional.none() dereference".
    if (!('value' in o)) throw celError('optional.none() dereference')
    return o.value
  }),
  celMethod('orValue', OPT, [DYN], DYN, function (other) {
    const o = get(this)
    return 'value' in o ? o.value : other
  }),
  celMethod('or', OPT, [OPT], OPT, function (other) {
    return 'value' in get(this) ? this : other
  }),
]

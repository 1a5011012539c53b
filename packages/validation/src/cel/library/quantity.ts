// k8s.io/apiserver pkg/cel/library/quantity.go (kubernetes.quantity) over a model of
// k8s.io/apimachinery pkg/api/resource Quantity: ParseQuantity's two representations (an int64
// with a decimal scale, or an arbitrary-precision inf.Dec), because AsInt64 — and so
// isInteger/asInteger — answers from the representation, not the value (a quantity that needed
// inf.Dec is never an integer to CEL, e.g. "1.5Gi" or an add that overflowed).
import { celError, celFunc, celMethod, CelScalar } from '@bufbuild/cel'
import { opaque, parses } from './_values.js'

/** A parsed quantity: `unscaled × 10^exp`; `dec` when Go holds it as inf.Dec. */
interface Quantity {
  readonly unscaled: bigint
  readonly exp: number
  readonly dec: boolean
  /** The text Go keeps as the quantity's String() (only for display). */
  readonly text?: string
}

const maxInt64 = (1n << 63n) - 1n
const minInt64 = -(1n << 63n)
const fitsInt64 = (v: bigint) => v >= minInt64 && v <= maxInt64
// A bound on the digits an exact operation may build (Go would build them all: an inf.Dec with
// scale 10^9 is a billion-digit big.Int); past it the operation is refused.
const maxDigits = 100_000

// quantity.go splitREString, ErrFormatWrong, ErrNumeric, ErrSuffix.
const errFormatWrong =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const errNumeric = 'unable to parse numeric part of quantity'
const errSuffix = "unable to parse quantity's suffix"

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
}
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 }

// quantity.go parseQuantityString: sign, digits, '.', digits, suffix letters, signed digits.
function split(str: string): {
  positive: boolean
  value: string
  num: string
  denom: string
  suffix: string
} {
  let pos = 0
  let positive = true
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+'
    pos++
  }
  while (pos < str.length && str[pos] === '0') pos++
  if (pos >= str.length) return { positive, value: '0', num: '0', denom: '', suffix: '' }
  const digits = (from: number) => {
    let i = from
    while (i < str.length && str[i]! >= '0' && str[i]! <= '9') i++
    return i
  }
  let end = digits(pos)
  let num = str.slice(pos, end)
  pos = end
  if (pos >= str.length) return { positive, value: str, num, denom: '', suffix: '' }
  if (num === '') num = '0'
  let denom = ''
  if (str[pos] === '.') {
    end = digits(pos + 1)
    denom = str.slice(pos + 1, end)
    pos = end
    if (pos >= str.length) return { positive, value: str, num, denom, suffix: '' }
  }
  const value = str.slice(0, pos)
  const suffixStart = pos
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++
  if (pos < str.length && (str[pos] === '-' || str[pos] === '+')) pos++
  pos = digits(pos)
  if (pos < str.length) throw celError(errFormatWrong)
  return { positive, value, num, denom, suffix: str.slice(suffixStart) }
}

// suffix.go interpret.
function interpret(suffix: string): { base: 2 | 10; exponent: number; binary: boolean } {
  if (suffix in decimalSuffixes)
    return { base: 10, exponent: decimalSuffixes[suffix]!, binary: false }
  if (suffix in binarySuffixes) return { base: 2, exponent: binarySuffixes[suffix]!, binary: true }
  if (
    suffix.length > 1 &&
    (suffix[0] === 'e' || suffix[0] === 'E') &&
    /^[+-]?\d+$/.test(suffix.slice(1))
  ) {
    const parsed = BigInt(suffix.slice(1))
    // strconv.ParseInt(…, 10, 64), then int32(parsed): Go keeps the low 32 bits.
    if (fitsInt64(parsed))
      return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), binary: false }
  }
  throw celError(errSuffix)
}

/** resource.ParseQuantity. */
function parseQuantity(str: string): Quantity {
  if (str === '') throw celError(errFormatWrong)
  if (str === '0') return { unscaled: 0n, exp: 0, dec: false, text: str }
  const { positive, value, num, denom, suffix } = split(str)
  const { base, exponent, binary } = interpret(suffix)
  let precision: number
  let scale = 0
  let mantissa = 1n
  if (!binary) {
    scale = exponent
    precision = 18 - (num.length + denom.length)
  } else if (exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(exponent)
    precision = 15 - num.length - Math.trunc(Math.fround(Math.fround(exponent * 3) / 10)) - 1
  } else {
    precision = -1
  }
  if (precision >= 0) {
    scale -= denom.length
    if (scale >= -9) {
      const shifted = num + denom
      const result = BigInt(shifted) * mantissa
      if (fitsInt64(result)) {
        const keep = binary
          ? exponent % 10 === 0 && (BigInt(shifted) & 7n) !== 0n
          : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0'
        return {
          unscaled: positive ? result : -result,
          exp: scale,
          dec: false,
          ...(keep ? { text: str } : {}),
        }
      }
    }
  }
  // The inf.Dec path: exact, then rounded up (away from zero) to nano units.
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value)
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw celError(errNumeric)
  let unscaled = BigInt(`${m[2] ?? ''}${m[3] ?? ''}` || '0')
  let exp = -(m[3] ?? '').length
  if (base === 10) exp += exponent
  else unscaled <<= BigInt(exponent)
  if (unscaled !== 0n) {
    if (exp + digitCount(unscaled) > maxDigits || exp < -maxDigits) throw celError(errNumeric)
    ;({ unscaled, exp } = roundUpToNano(unscaled, exp))
  }
  if (
    binary &&
    unscaled * 10n ** BigInt(Math.max(exp, 0)) > maxInt64 * 10n ** BigInt(Math.max(-exp, 0))
  )
    ({ unscaled, exp } = { unscaled: maxInt64, exp: 0 })
  return { unscaled: positive || m[1] !== '-' ? unscaled : -unscaled, exp, dec: true }
}

/**
 * resource.ParseQuantity's value (`unscaled × 10^exp`, rounded up to nano units where Go rounds)
 * and the format its suffix chose, for writing the quantity back in Go's canonical form;
 * undefined when `text` is no quantity.
 *
 * @example
 * parsedQuantity('1.5Gi') // { unscaled: 1610612736n, exp: 0, format: 'BinarySI' }
 * parsedQuantity('500m') // { unscaled: 500n, exp: -3, format: 'DecimalSI' }
 */
export function parsedQuantity(
  text: string,
):
  | { unscaled: bigint; exp: number; format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent' }
  | undefined {
  try {
    const { unscaled, exp } = parseQuantity(text)
    const { suffix } = split(text)
    const format =
      suffix in binarySuffixes
        ? 'BinarySI'
        : suffix.startsWith('e') || suffix.startsWith('E')
          ? 'DecimalExponent'
          : 'DecimalSI'
    return { unscaled, exp, format }
  } catch {
    return undefined
  }
}

const digitCount = (v: bigint) => (v < 0n ? -v : v).toString().length

// inf.Dec Round(x, 9, RoundUp) of a non-negative value: scale 9 exactly, any remainder up.
function roundUpToNano(unscaled: bigint, exp: number): { unscaled: bigint; exp: number } {
  if (exp >= -9) return { unscaled: unscaled * 10n ** BigInt(exp + 9), exp: -9 }
  const divisor = 10n ** BigInt(-9 - exp)
  const q = unscaled / divisor
  return { unscaled: unscaled % divisor === 0n ? q : q + 1n, exp: -9 }
}

// int64Amount.AsInt64: scale 0 as is, a negative scale never, a positive one if it fits.
function asInt64(q: Quantity): bigint | undefined {
  if (q.dec || q.exp < 0) return undefined
  if (q.exp === 0) return q.unscaled
  if (q.unscaled === 0n) return 0n
  if (q.exp > 19) return undefined
  const v = q.unscaled * 10n ** BigInt(q.exp)
  return fitsInt64(v) ? v : undefined
}

// Quantity.Cmp: by value, exactly.
function cmp(a: Quantity, b: Quantity): number {
  const sa = sign(a)
  const sb = sign(b)
  if (sa !== sb || sa === 0) return Math.sign(sa - sb)
  // Orders of magnitude far apart decide without building the numbers.
  const ma = digitCount(a.unscaled) + a.exp
  const mb = digitCount(b.unscaled) + b.exp
  if (Math.abs(ma - mb) > 1) return ma > mb ? sa : -sa
  const [x, y] = aligned(a, b)
  return x === y ? 0 : x > y ? 1 : -1
}

function aligned(a: Quantity, b: Quantity): [bigint, bigint] {
  const exp = Math.min(a.exp, b.exp)
  if (Math.max(a.exp, b.exp) - exp > maxDigits) throw celError('quantity out of range')
  return [a.unscaled * 10n ** BigInt(a.exp - exp), b.unscaled * 10n ** BigInt(b.exp - exp)]
}

const sign = (q: Quantity) => (q.unscaled > 0n ? 1 : q.unscaled < 0n ? -1 : 0)

/**
 * resource.ParseQuantity of both texts, then Quantity.Cmp: -1, 0 or 1; undefined when either is
 * not a quantity. What Go code that compares quantities (a pod's QoS class) does with them.
 *
 * @example
 * compareQuantities('1', '1000m') // 0
 * compareQuantities('1Gi', '1G') // 1
 */
export function compareQuantities(a: string, b: string): number | undefined {
  try {
    return cmp(parseQuantity(a), parseQuantity(b))
  } catch {
    return undefined
  }
}

// Quantity.Add: int64Amount.Add when both are int64 and the sum fits, else inf.Dec.
function add(a: Quantity, b: Quantity): Quantity {
  if (!a.dec && !b.dec) {
    if (b.unscaled === 0n) return { unscaled: a.unscaled, exp: a.exp, dec: false }
    if (a.unscaled === 0n) return { unscaled: b.unscaled, exp: b.exp, dec: false }
    const [hi, lo] = a.exp >= b.exp ? [a, b] : [b, a]
    const scaled = scaleInt64(hi.unscaled, hi.exp - lo.exp)
    if (scaled !== undefined && fitsInt64(scaled + lo.unscaled))
      return { unscaled: scaled + lo.unscaled, exp: lo.exp, dec: false }
  }
  const [x, y] = aligned(a, b)
  return { unscaled: x + y, exp: Math.min(a.exp, b.exp), dec: true }
}

// positiveScaleInt64: base × 10^scale if it fits an int64.
function scaleInt64(base: bigint, scale: number): bigint | undefined {
  if (base === 0n) return 0n
  if (scale > 19) return undefined
  const v = base * 10n ** BigInt(scale)
  return fitsInt64(v) ? v : undefined
}

const negate = (q: Quantity): Quantity => ({ unscaled: -q.unscaled, exp: q.exp, dec: q.dec })
const ofInt = (n: bigint): Quantity => ({ unscaled: n, exp: 0, dec: false })

// AsApproximateFloat64: float64(unscaled) × math.Pow10(exponent).
function approximateFloat(q: Quantity): number {
  const base = Number(q.unscaled)
  if (q.exp === 0) return base
  if (q.exp > 308) return base === 0 ? 0 : base * Infinity
  if (q.exp < -323) return base * 0
  return base * Number(`1e${q.exp}`)
}

// == compares values (Quantity.Equal is Cmp == 0): the value with trailing zeros moved into
// the exponent is the same text for equal values.
function valueText(q: Quantity): string {
  if (q.unscaled === 0n) return '0'
  let { unscaled, exp } = q
  while (unscaled % 10n === 0n) {
    unscaled /= 10n
    exp++
  }
  return `${unscaled}e${exp}`
}

// Quantity.String for the values this library shows: the parsed text when Go keeps it, else
// the value in decimal.
function quantityText(q: Quantity): string {
  if (q.text !== undefined) return q.text
  if (q.exp >= 0) return (q.unscaled * 10n ** BigInt(q.exp)).toString()
  return valueText(q)
}

/** The CEL type `kubernetes.Quantity`. */
export const quantityType = opaque<Quantity>(
  'kubernetes.Quantity',
  valueText,
  (q) => `quantity("${quantityText(q)}")`,
)
const Q = quantityType.type
const { STRING, BOOL, INT, DOUBLE } = CelScalar
const get = (v: unknown): Quantity => quantityType.unwrapOrThrow(v)

/**
 * `quantity`, `isQuantity`, and on a quantity `sign`, `isGreaterThan`, `isLessThan`, `compareTo`,
 * `add`, `sub` (quantity or int), `asInteger`, `isInteger`, `asApproximateFloat`.
 *
 * @example
 * run("quantity('1Gi').isGreaterThan(quantity('1G'))", {}, { funcs: quantityFunctions }) // true
 */
export const quantityFunctions = [
  celFunc('quantity', [STRING], Q, (s) => quantityType.wrap(parseQuantity(s))),
  celFunc('isQuantity', [STRING], BOOL, (s) => parses(() => parseQuantity(s))),
  celMethod('sign', Q, [], INT, function () {
    return BigInt(sign(get(this)))
  }),
  celMethod('isGreaterThan', Q, [Q], BOOL, function (other) {
    return cmp(get(this), get(other)) === 1
  }),
  celMethod('isLessThan', Q, [Q], BOOL, function (other) {
    return cmp(get(this), get(other)) === -1
  }),
  celMethod('compareTo', Q, [Q], INT, function (other) {
    return BigInt(cmp(get(this), get(other)))
  }),
  celMethod('add', Q, [Q], Q, function (other) {
    return quantityType.wrap(add(get(this), get(other)))
  }),
  celMethod('add', Q, [INT], Q, function (n) {
    return quantityType.wrap(add(get(this), ofInt(n)))
  }),
  celMethod('sub', Q, [Q], Q, function (other) {
    return quantityType.wrap(add(get(this), negate(get(other))))
  }),
  celMethod('sub', Q, [INT], Q, function (n) {
    return quantityType.wrap(add(get(this), ofInt(-n)))
  }),
  celMethod('asInteger', Q, [], INT, function () {
    const v = asInt64(get(this))
    if (v === undefined) throw celError('cannot convert value to integer')
    return v
  }),
  celMethod('isInteger', Q, [], BOOL, function () {
    return asInt64(get(this)) !== undefined
  }),
  celMethod('asApproximateFloat', Q, [], DOUBLE, function () {
    return approximateFloat(get(this))
  }),
]

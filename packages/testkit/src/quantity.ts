// resource.Quantity as kube-apiserver writes it back (k8s.io/apimachinery pkg/api/resource/
// quantity.go): parsed from its text, written in the canonical form of its format
// (CanonicalizeBytes) — `0.5` is `500m`, `2048Mi` is `2Gi`, `1000m` is `1` — and, in a
// ResourceList, rounded up to thousandths first (kubernetes pkg/apis/core/v1/defaults.go
// SetDefaults_ResourceList: `val.RoundUp(-3)`).
import { parsedQuantity } from '@k8s-codegen/validation'

const binary = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']
const decimalSuffix = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
])

/** A parsed quantity: the value `numerator / 10^scale` and the format its suffix chose. */
interface Parsed {
  numerator: bigint
  scale: number
  format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent'
}

// resource.ParseQuantity, as @k8s-codegen/validation models it for CEL.
function parse(text: string): Parsed | undefined {
  const parsed = parsedQuantity(text)
  if (parsed === undefined) return undefined
  const { unscaled, exp, format } = parsed
  return exp >= 0
    ? { numerator: unscaled * 10n ** BigInt(exp), scale: 0, format }
    : { numerator: unscaled, scale: -exp, format }
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n)

// Quantity.RoundUp(-3): to thousandths, away from zero.
function roundUpToMilli(parsed: Parsed): Parsed {
  if (parsed.scale <= 3) return parsed
  const divisor = 10n ** BigInt(parsed.scale - 3)
  let rounded = parsed.numerator / divisor
  if (rounded * divisor !== parsed.numerator) rounded += parsed.numerator < 0n ? -1n : 1n
  return { ...parsed, numerator: rounded, scale: 3 }
}

function canonical({ numerator, scale, format }: Parsed): string {
  let chosen = format
  if (chosen === 'BinarySI') {
    // Below 1024, or not a whole number, a binary quantity is written as a decimal one.
    const whole = scale === 0 || numerator % 10n ** BigInt(scale) === 0n
    if (abs(numerator) < 1024n * 10n ** BigInt(scale) || !whole) chosen = 'DecimalSI'
    else {
      let value = numerator / 10n ** BigInt(scale)
      let power = 0
      while (power < binary.length - 1 && value % 1024n === 0n) {
        value /= 1024n
        power += 1
      }
      return `${value}${binary[power]}`
    }
  }
  if (numerator === 0n) return '0'
  // AsCanonicalBytes: an integer mantissa and an exponent that is a multiple of 3.
  let mantissa = numerator
  let exponent = -scale
  while (exponent % 3 !== 0) {
    mantissa *= 10n
    exponent -= 1
  }
  while (mantissa % 1000n === 0n) {
    mantissa /= 1000n
    exponent += 3
  }
  if (chosen === 'DecimalSI') {
    const suffix = decimalSuffix.get(exponent)
    if (suffix !== undefined) return `${mantissa}${suffix}`
  }
  return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`
}

/**
 * The text kube-apiserver writes for a quantity it read as `text` (`roundUp`: as a value of a
 * ResourceList, rounded up to thousandths); undefined when `text` is no quantity.
 *
 * @example
 * canonicalQuantity('0.5') // '500m'
 * canonicalQuantity('1.5Gi') // '1536Mi'
 * canonicalQuantity('0.0001', { roundUp: true }) // '1m'
 */
export function canonicalQuantity(
  text: string,
  options: { roundUp?: boolean } = {},
): string | undefined {
  const parsed = parse(text)
  if (parsed === undefined) return undefined
  return canonical(options.roundUp === true ? roundUpToMilli(parsed) : parsed)
}

import {
  celEnv,
  celError,
  celList,
  isCelError,
  isCelList,
  isCelMap,
  isCelType,
  isCelUint,
  objectType,
  type CelError,
  type CelList,
  type CelObjectType,
  type CelValue,
} from '@bufbuild/cel'
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf'
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect'
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt'

// The engine's own operators (equality, ordering, addition), so the library compares and adds
// values exactly as `==`, `<` and `+` do in an expression (cel-go's traits.Comparer / Adder).
const std = celEnv().funcs
const operator = (name: string) => {
  const group = std.find(name)
  if (group === undefined) throw new Error(`@bufbuild/cel has no ${name}`)
  return group
}
const eq = operator('_==_')
const lt = operator('_<_')
const plus = operator('_+_')

/** `a == b` as CEL defines it (numbers compare across types, lists and maps deeply). */
export function celEquals(a: CelValue, b: CelValue): boolean {
  return eq.call(0, undefined, [a, b]) === true
}

/**
 * `a < b`, or undefined when the two values have no ordering (cel-go: not a traits.Comparer).
 * An error result (e.g. from a nested comparison) is thrown as the CelError it is.
 */
export function celLess(a: CelValue, b: CelValue): boolean | undefined {
  const result = lt.call(0, undefined, [a, b])
  if (isCelError(result)) throw result
  return typeof result === 'boolean' ? result : undefined
}

/** `a + b`; throws the engine's error (e.g. "int overflow") or no-such-overload. */
export function celAdd(a: CelValue, b: CelValue): CelValue {
  const result = plus.call(0, undefined, [a, b])
  if (result === undefined) throw noSuchOverload()
  if (isCelError(result)) throw result
  return result
}

/** cel-go types.NoSuchOverloadErr: the error a call with operands of the wrong type gives. */
export function noSuchOverload(): CelError {
  return celError('no such overload')
}

/** Whether `parse` returns rather than throws: the `isX(string)` functions. */
export function parses(parse: () => unknown): boolean {
  try {
    parse()
    return true
  } catch {
    return false
  }
}

/** A list of CEL values as the engine's list. */
export const listOf = (values: readonly CelValue[]): CelList => celList(values)

/**
 * A Kubernetes value type the engine does not know (`kubernetes.Quantity`, `net.IP`, …): CEL
 * values in @bufbuild/cel are scalars, lists, maps or protobuf messages, so each is a message
 * type of that name with one string field, `value`, holding its canonical text. Two values
 * are `==` exactly when those texts are equal, which each type makes match its Go `Equal`.
 * The parsed value travels beside the message (a WeakMap keyed by the message object, which
 * the engine passes through lists, maps and calls unchanged).
 */
export interface Opaque<T> {
  /** `value` as the CEL expression that makes it, or undefined for a value of another type. */
  text(value: unknown): string | undefined
  /** The CEL type, for function signatures. */
  readonly type: CelObjectType
  /** The CEL value of `value`. */
  wrap(value: T): ReflectMessage
  /** The value of a CEL value of this type, or undefined for any other value. */
  unwrap(value: unknown): T | undefined
  /** The value of a CEL value of this type; for any other, cel-go's "no such overload". */
  unwrapOrThrow(value: unknown): T
}

function messageType(typeName: string): DescMessage {
  const [pkg, name] = typeName.includes('.')
    ? [typeName.slice(0, typeName.lastIndexOf('.')), typeName.slice(typeName.lastIndexOf('.') + 1)]
    : ['', typeName]
  const file = createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: `${typeName}.proto`,
      package: pkg,
      syntax: 'proto3',
      // field type 9 = TYPE_STRING, label 1 = LABEL_OPTIONAL
      messageType: [
        { name, field: [{ name: 'value', jsonName: 'value', number: 1, type: 9, label: 1 }] },
      ],
    }),
    () => undefined,
  )
  const desc = file.getMessage(typeName)
  if (desc === undefined) throw new Error(`no message ${typeName}`)
  return desc
}

const opaques: Opaque<never>[] = []
const descs: DescMessage[] = []

/** The message types of every opaque type, for the environment's registry (type names). */
export const opaqueDescs = (): readonly DescMessage[] => descs

/**
 * Declares the CEL type `typeName` whose values carry a T: `equal` gives the text `==` compares,
 * `text` the value as a CEL expression that makes it (as test/cel-library/oracle prints it).
 */
export function opaque<T extends object>(
  typeName: string,
  equal: (value: T) => string,
  text: (value: T) => string,
): Opaque<T> {
  const desc = messageType(typeName)
  descs.push(desc)
  const values = new WeakMap<object, T>()
  const type: Opaque<T> = {
    type: objectType(desc),
    wrap(value) {
      const message = reflect(desc, create(desc, { value: equal(value) }))
      values.set(message, value)
      return message
    },
    unwrap(value) {
      return typeof value === 'object' && value !== null ? values.get(value) : undefined
    },
    unwrapOrThrow(value) {
      const v = type.unwrap(value)
      if (v === undefined) throw noSuchOverload()
      return v
    },
    text(value) {
      const v = type.unwrap(value)
      return v === undefined ? undefined : text(v)
    },
  }
  opaques.push(type as unknown as Opaque<never>)
  return type
}

/**
 * A CEL value as the CEL expression that makes it, printed as Go prints it (`strconv` number and
 * string forms, `time.Duration.String`): what test/cel-library/oracle prints for cel-go's value.
 *
 * @example
 * celText(celList([1n, 'a', 1.5])) // '[1, "a", 1.5]'
 */
export function celText(value: CelValue): string {
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (typeof value === 'number') return goFloat(value)
  if (typeof value === 'string') return goQuote(value)
  if (value === null) return 'null'
  if (value instanceof Uint8Array) return `b${goQuote(new TextDecoder().decode(value))}`
  if (isCelUint(value)) return `${value.value}u`
  if (isCelList(value)) return `[${[...value].map(celText).join(', ')}]`
  if (isCelMap(value))
    return `{${[...value]
      .map(([k, v]) => `${celText(k as CelValue)}: ${celText(v)}`)
      .sort()
      .join(', ')}}`
  if (isCelType(value)) return `type(${value.name})`
  for (const type of opaques) {
    const text = type.text(value)
    if (text !== undefined) return text
  }
  const message = value.message as { $typeName: string; seconds?: bigint; nanos?: number }
  if (message.$typeName === 'google.protobuf.Duration')
    return `duration("${goDuration(message.seconds ?? 0n, message.nanos ?? 0)}")`
  if (message.$typeName === 'google.protobuf.Timestamp') {
    const ms = Number(message.seconds ?? 0n) * 1000
    const iso = new Date(ms).toISOString().replace('.000Z', '')
    const nanos = message.nanos
      ? `.${String(message.nanos).padStart(9, '0').replace(/0+$/, '')}`
      : ''
    return `timestamp("${iso.replace(/Z$/, '')}${nanos}Z")`
  }
  return `<${message.$typeName}>`
}

// strconv.FormatFloat(f, 'g', -1, 64), then ".0" when that reads as an integer.
function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'double("NaN")'
  if (!Number.isFinite(f)) return f > 0 ? 'double("Infinity")' : 'double("-Infinity")'
  const [digits = '', exp = '0'] = f.toExponential().split('e')
  const x = Number(exp)
  const mantissa = digits.replace('-', '').replace('.', '')
  const sign = f < 0 || Object.is(f, -0) ? '-' : ''
  let s: string
  if (x < -4 || x >= Math.max(mantissa.length, 21)) {
    // %e: at least two exponent digits
    const m = mantissa.length > 1 ? `${mantissa[0]}.${mantissa.slice(1)}` : mantissa
    s = `${sign}${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`
  } else if (x < 0) {
    s = `${sign}0.${'0'.repeat(-x - 1)}${mantissa}`
  } else {
    const int = mantissa.padEnd(x + 1, '0')
    const frac = mantissa.slice(x + 1)
    s = `${sign}${int.slice(0, x + 1)}${frac === '' ? '' : `.${frac}`}`
  }
  return /[.en]/.test(s) ? s : `${s}.0`
}

// strconv.Quote for the text CEL strings hold.
function goQuote(s: string): string {
  const escapes: Record<string, string> = {
    '\x07': '\\a',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\v': '\\v',
    '"': '\\"',
    '\\': '\\\\',
  }
  let out = '"'
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0
    out +=
      escapes[ch] ??
      (code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch)
  }
  return `${out}"`
}

// time.Duration.String: "1h2m3.5s", "1.5ms", "0s".
function goDuration(seconds: bigint, nanos: number): string {
  let total = seconds * 1_000_000_000n + BigInt(nanos)
  if (total === 0n) return '0s'
  const sign = total < 0n ? '-' : ''
  if (total < 0n) total = -total
  if (total < 1_000_000_000n) {
    const [unit, size] =
      total < 1000n ? ['ns', 1n] : total < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n]
    return `${sign}${fraction(total, size)}${unit}`
  }
  const h = total / 3_600_000_000_000n
  const m = (total / 60_000_000_000n) % 60n
  const s = fraction(total % 60_000_000_000n, 1_000_000_000n)
  return `${sign}${h > 0n ? `${h}h` : ''}${h > 0n || m > 0n ? `${m}m` : ''}${s}s`
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit
  const rest = value % unit
  if (rest === 0n) return String(whole)
  const digits = String(unit).length - 1
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`
}

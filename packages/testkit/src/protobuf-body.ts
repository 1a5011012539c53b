// Protobuf request bodies of built-in kinds, as kubectl's typed commands send them
// (`kubectl create namespace|configmap|deployment…`, `Content-Type:
// application/vnd.kubernetes.protobuf`): the `k8s\0` magic, a `runtime.Unknown` envelope
// (apimachinery `pkg/runtime/serializer/protobuf/protobuf.go` Serializer.Decode,
// `pkg/runtime/generated.proto`), then the kind's own encoding. The object is answered as the
// JSON Go's encoder writes for the decoded struct: the field tables come from k8s.io/api's
// `generated.proto` and the Go struct tags (`generated/protobuf-kinds.jsonc`, written by
// `scripts/generate-kube-tables.mjs`); the wire format is protobufjs's Reader.
import protobuf from 'protobufjs/minimal.js'
import { setOwn, type JsonObject } from './_json.js'
import { loadGeneratedTable } from './generated-tables.js'
import { ApiStatusError, badRequest } from './status-errors.js'

/** One field of a generated.proto message with the Go struct tag of the same field. */
interface FieldInfo {
  id: number
  name: string
  /** The Go JSON name; `''` for an inlined embedded struct, `'-'` for one never written. */
  json: string
  /** A scalar type (`string`, `int32`, `bytes`…) or a message's full name. */
  type: string
  key?: string
  map?: boolean
  repeated?: boolean
  omitEmpty?: boolean
  pointer?: boolean
  inline?: boolean
}

interface MessageInfo {
  fields: FieldInfo[]
  /** A Go slice type (`type ExtraValue []string`) wrapped as a message of `items`. */
  slice?: boolean
}

interface ProtobufTables {
  /** `apps/v1` (or `v1` for the core group) → proto package. */
  groupVersions: Record<string, string>
  messages: Record<string, MessageInfo>
}

const tables = loadGeneratedTable<ProtobufTables>('protobuf-kinds.jsonc')

/** The media type of Kubernetes protobuf bodies. */
export const protobufMediaType = 'application/vnd.kubernetes.protobuf'

// protobuf.go `protoEncodingPrefix`.
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00])

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1'
// The option kinds metav1.AddToGroupVersion registers in every group-version (apimachinery
// `pkg/apis/meta/v1/register.go` optionsTypes): a DeleteOptions of `v1` or of a CRD's group.
const optionKinds = new Set([
  'ListOptions',
  'GetOptions',
  'DeleteOptions',
  'CreateOptions',
  'UpdateOptions',
  'PatchOptions',
])
type Reader = protobuf.Reader
type Value = unknown

// `time.Time{}.Unix()`: January 1, year 1, the time Go's IsZero reports.
const goZeroTimeSeconds = -62_135_596_800

/** The Go JSON of the apimachinery types whose MarshalJSON is their own. */
const custom: Record<string, (bytes: Uint8Array) => Value> = {
  // `pkg/apis/meta/v1/time_proto.go` Unmarshal keeps seconds only; `time.go` MarshalJSON:
  // RFC 3339 in UTC, `null` for the zero time (an empty message).
  [`${meta}.Time`]: (bytes) => {
    if (bytes.length === 0) return null
    const { seconds } = timestamp(bytes)
    if (seconds === goZeroTimeSeconds) return null
    return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  },
  // `micro_time_proto.go`: microseconds kept; `micro_time.go` RFC3339Micro.
  [`${meta}.MicroTime`]: (bytes) => {
    if (bytes.length === 0) return null
    const { seconds, nanos } = timestamp(bytes)
    if (seconds === goZeroTimeSeconds) return null
    const micros = String(Math.floor(nanos / 1000)).padStart(6, '0')
    return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, `.${micros}Z`)
  },
  // `duration.go` MarshalJSON: Go's time.Duration.String().
  [`${meta}.Duration`]: (bytes) => {
    let nanoseconds = 0n
    eachField(bytes, (id, wire, reader) => {
      if (id === 1 && wire === 0) nanoseconds = bigOf(reader.int64())
      else reader.skipType(wire)
    })
    return goDuration(nanoseconds)
  },
  // `fields.go` FieldsV1.MarshalJSON writes Raw as it is (JSON).
  [`${meta}.FieldsV1`]: (bytes) => rawJson(singleBytes(bytes, 1), 'FieldsV1'),
  // `pkg/runtime/types.go` RawExtension.MarshalJSON writes Raw as it is, `null` when absent.
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (bytes) =>
    rawJson(singleBytes(bytes, 1), 'RawExtension'),
  // `pkg/api/resource/quantity_proto.go`: the canonical string.
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (bytes) => {
    let text = ''
    eachField(bytes, (id, wire, reader) => {
      if (id === 1 && wire === 2) text = reader.string()
      else reader.skipType(wire)
    })
    return text === '' ? '0' : text
  },
  // `pkg/util/intstr/intstr.go` MarshalJSON: the string when Type is String, else the int.
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (bytes) => {
    let type = 0
    let intVal = 0
    let strVal = ''
    eachField(bytes, (id, wire, reader) => {
      if (id === 1 && wire === 0) type = numberOf(reader.int64())
      else if (id === 2 && wire === 0) intVal = reader.int32()
      else if (id === 3 && wire === 2) strVal = reader.string()
      else reader.skipType(wire)
    })
    return type === 1 ? strVal : intVal
  },
}

// A 64-bit field as protobufjs reads it: a number, or a Long (`long` is its dependency).
function bigOf(value: number | protobuf.Long): bigint {
  if (typeof value === 'number') return BigInt(value)
  const low = BigInt(value.low >>> 0)
  return value.unsigned
    ? (BigInt(value.high >>> 0) << 32n) | low
    : (BigInt(value.high) << 32n) + low
}

function numberOf(value: number | protobuf.Long): number {
  return Number(bigOf(value))
}

function eachField(
  bytes: Uint8Array,
  visit: (id: number, wire: number, reader: Reader) => void,
): void {
  const reader = protobuf.Reader.create(bytes)
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    if (tag >>> 3 === 0) throw new Error(`illegal tag 0 (wire type ${tag & 7})`)
    visit(tag >>> 3, tag & 7, reader)
  }
}

function timestamp(bytes: Uint8Array): { seconds: number; nanos: number } {
  let seconds = 0
  let nanos = 0
  eachField(bytes, (id, wire, reader) => {
    if (id === 1 && wire === 0) seconds = numberOf(reader.int64())
    else if (id === 2 && wire === 0) nanos = reader.int32()
    else reader.skipType(wire)
  })
  return { seconds, nanos }
}

function singleBytes(bytes: Uint8Array, field: number): Uint8Array | undefined {
  let found: Uint8Array | undefined
  eachField(bytes, (id, wire, reader) => {
    if (id === field && wire === 2) found = reader.bytes()
    else reader.skipType(wire)
  })
  return found
}

function rawJson(raw: Uint8Array | undefined, what: string): Value {
  if (raw === undefined || raw.length === 0) return null
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as Value
  } catch {
    throw new Error(`${what} holds bytes that are not JSON`)
  }
}

/**
 * Go's `time.Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
 *
 * @example
 * goDuration(90_000_000_000n) // '1m30s'
 */
export function goDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s'
  const negative = nanoseconds < 0n
  const abs = negative ? -nanoseconds : nanoseconds
  const sign = negative ? '-' : ''
  const fraction = (value: bigint, unit: bigint, digits: number): string => {
    const whole = value / unit
    const rest = (value % unit).toString().padStart(digits, '0').replace(/0+$/, '')
    return rest === '' ? String(whole) : `${whole}.${rest}`
  }
  if (abs < 1000n) return `${sign}${abs}ns`
  if (abs < 1_000_000n) return `${sign}${fraction(abs, 1000n, 3)}µs`
  if (abs < 1_000_000_000n) return `${sign}${fraction(abs, 1_000_000n, 6)}ms`
  const hours = abs / 3_600_000_000_000n
  const minutes = (abs / 60_000_000_000n) % 60n
  const seconds = fraction(abs % 60_000_000_000n, 1_000_000_000n, 9)
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`
  return `${sign}${seconds}s`
}

function scalar(type: string, reader: Reader): Value {
  switch (type) {
    case 'string':
      return reader.string()
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64')
    case 'bool':
      return reader.bool()
    case 'int32':
      return reader.int32()
    case 'uint32':
      return reader.uint32()
    case 'sint32':
      return reader.sint32()
    case 'int64':
      return numberOf(reader.int64())
    case 'uint64':
      return numberOf(reader.uint64())
    case 'sint64':
      return numberOf(reader.sint64())
    case 'double':
      return reader.double()
    case 'float':
      return reader.float()
    default:
      throw new Error(`unsupported field type ${type}`)
  }
}

const zeroes: Record<string, Value> = { string: '', bool: false, bytes: null }

// Go's zero value of a non-pointer field the wire left out, as its JSON.
function zeroOf(field: FieldInfo): Value {
  if (field.map === true || field.repeated === true) return null
  if (tables().messages[field.type] !== undefined || custom[field.type] !== undefined)
    return message(field.type, new Uint8Array(0))
  return field.type in zeroes ? zeroes[field.type] : 0
}

// encoding/json `isEmptyValue`: what `omitempty` drops (structs never are).
function isEmpty(field: FieldInfo, value: Value): boolean {
  if (field.map === true) return value === null || Object.keys(value as JsonObject).length === 0
  if (field.repeated === true) return value === null || (value as Value[]).length === 0
  if (field.pointer === true) return value === null
  if (tables().messages[field.type] !== undefined && tables().messages[field.type]?.slice !== true)
    return false
  if (custom[field.type] !== undefined) return false
  return value === '' || value === 0 || value === false || value === null
}

function readValue(type: string, wire: number, reader: Reader): Value {
  if (custom[type] !== undefined || tables().messages[type] !== undefined) {
    if (wire !== 2) throw new Error(`wire type ${wire} for message ${type}`)
    return message(type, reader.bytes())
  }
  return scalar(type, reader)
}

const packable = new Set([
  'bool',
  'int32',
  'uint32',
  'sint32',
  'int64',
  'uint64',
  'sint64',
  'double',
  'float',
])

function mapEntry(field: FieldInfo, bytes: Uint8Array): [string, Value] {
  let key = ''
  let value: Value = zeroOf({ ...field, map: false })
  eachField(bytes, (id, wire, reader) => {
    if (id === 1) key = String(scalar(field.key ?? 'string', reader))
    else if (id === 2) value = readValue(field.type, wire, reader)
    else reader.skipType(wire)
  })
  return [key, value]
}

/** Decodes one message into the JSON value Go writes for it. */
function message(type: string, bytes: Uint8Array): Value {
  const own = custom[type]
  if (own !== undefined) return own(bytes)
  const info = tables().messages[type]
  if (info === undefined) throw new Error(`no message ${type}`)
  const byId = new Map(info.fields.map((f) => [f.id, f]))
  const values = new Map<number, Value>()
  eachField(bytes, (id, wire, reader) => {
    const field = byId.get(id)
    if (field === undefined) {
      reader.skipType(wire)
      return
    }
    if (field.map === true) {
      const entries = (values.get(id) as JsonObject | undefined) ?? {}
      const [key, value] = mapEntry(field, reader.bytes())
      setOwn(entries, key, value)
      values.set(id, entries)
    } else if (field.repeated === true) {
      const items = (values.get(id) as Value[] | undefined) ?? []
      if (wire === 2 && packable.has(field.type)) {
        const end = reader.uint32() + reader.pos
        while (reader.pos < end) items.push(scalar(field.type, reader))
      } else items.push(readValue(field.type, wire, reader))
      values.set(id, items)
    } else values.set(id, readValue(field.type, wire, reader))
  })
  if (info.slice === true) return values.get(1) ?? null
  const out: JsonObject = {}
  for (const field of info.fields) {
    if (field.json === '-') continue
    const present = values.has(field.id)
    if (field.inline === true) {
      const inner = present ? values.get(field.id) : zeroOf(field)
      Object.assign(out, inner)
      continue
    }
    let value: Value
    if (present) value = values.get(field.id)
    else if (field.pointer === true) value = null
    else value = zeroOf(field)
    if (field.omitEmpty === true && isEmpty(field, value)) continue
    setOwn(out, field.json, value)
  }
  return out
}

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body of a built-in kind (or an option
 * kind such as `DeleteOptions`, in any group-version) into the object Go's JSON encoder writes
 * for it. Throws a 400 `ApiStatusError` for a body that is not
 * one; an empty kind or apiVersion in the envelope is the route's, as `copyKindDefaults` does.
 *
 * @example
 * const object = decodeProtobufObject(body, { apiVersion: 'v1', kind: 'Namespace' })
 * // { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 't0', creationTimestamp: null }, spec: {}, status: {} }
 */
export function decodeProtobufObject(
  body: Buffer,
  expected: { apiVersion: string; kind: string },
): JsonObject {
  if (body.length === 0) throw badRequest('empty data')
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw badRequest(
      'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    )
  }
  if (body.length === magic.length) throw badRequest('empty body')
  try {
    let apiVersion = ''
    let kind = ''
    let raw: Uint8Array = new Uint8Array(0)
    eachField(body.subarray(magic.length), (id, wire, reader) => {
      if (id === 1 && wire === 2) {
        eachField(reader.bytes(), (inner, innerWire, typeMeta) => {
          if (inner === 1 && innerWire === 2) apiVersion = typeMeta.string()
          else if (inner === 2 && innerWire === 2) kind = typeMeta.string()
          else typeMeta.skipType(innerWire)
        })
      } else if (id === 2 && wire === 2) raw = reader.bytes()
      else reader.skipType(wire)
    })
    if (apiVersion === '') apiVersion = expected.apiVersion
    if (kind === '') kind = expected.kind
    const pkg = optionKinds.has(kind) ? meta : tables().groupVersions[apiVersion]
    const type = `${pkg ?? ''}.${kind}`
    if (pkg === undefined || tables().messages[type] === undefined) {
      throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`)
    }
    return { kind, apiVersion, ...(message(type, raw) as JsonObject) }
  } catch (error) {
    if (error instanceof ApiStatusError) throw error
    throw badRequest(`error decoding protobuf body: ${(error as Error).message}`)
  }
}

/**
 * The Go JSON of a new, empty object of a built-in kind (`runtime.Scheme.New` encoded): its
 * non-pointer structs as `{}`, its fields without `omitempty` as null or zero; undefined for a
 * kind k8s.io/api does not define (a custom resource).
 *
 * @example
 * goZeroValue('apps/v1', 'Deployment') // { metadata: { creationTimestamp: null }, spec: { selector: null, template: {…}, strategy: {} }, status: {} }
 */
export function goZeroValue(apiVersion: string, kind: string): JsonObject | undefined {
  const key = `${apiVersion}/${kind}`
  if (!zeroValues.has(key)) {
    const pkg = tables().groupVersions[apiVersion]
    const type = `${pkg ?? ''}.${kind}`
    const known = pkg !== undefined && tables().messages[type] !== undefined
    zeroValues.set(key, known ? (message(type, new Uint8Array(0)) as JsonObject) : undefined)
  }
  return zeroValues.get(key)
}

// Read-only once made: callers only look values up in them.
const zeroValues = new Map<string, JsonObject | undefined>()

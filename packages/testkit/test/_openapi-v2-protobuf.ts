// The way back from an `openapi.v2.Document` to its JSON, with the message definitions of
// src/openapi-v2-protobuf.ts, as gnostic's ToRawInfo writes it (gnostic-models
// `openapiv2/OpenAPIv2.go`): fields under their JSON keys, named entries as object keys, each
// Any's YAML parsed back, a one-item TypeItem or ItemsItem as its item. proto3 keeps no zero
// scalar, so `false`, `0` and `''` of the JSON do not come back: `withoutZeros` drops them from
// the JSON compared.
import { execFileSync } from 'node:child_process'
import { parse } from 'yaml'
import { isJsonObject } from '../src/_json.js'
import { messages, namedMessageOf, openApiV2Root, type Kind } from '../src/openapi-v2-protobuf.js'
import { buildGoFixture } from './_go-build.js'

type Message = Record<string, unknown>

/** The JSON an `openapi.v2.Document`'s bytes hold. */
export function openApiV2FromProtobuf(bytes: Uint8Array): unknown {
  const type = openApiV2Root.lookupType('openapi.v2.Document')
  const message = type.toObject(type.decode(bytes), { longs: Number, defaults: false })
  return fromMessage('Document', message)
}

function fromKind(kind: Kind, value: unknown): unknown {
  if (kind === 'any') return parse((value as Message)['yaml'] as string) as unknown
  if (['string', 'bool', 'int64', 'double', 'strings'].includes(kind)) return value
  if (kind === 'anys') return (value as Message[]).map((item) => fromKind('any', item))
  if (kind.startsWith('[]'))
    return (value as Message[]).map((item) => fromMessage(kind.slice(2), item))
  return fromMessage(kind, value as Message)
}

function entriesOf(value: unknown, kind: Kind): [string, unknown][] {
  const entries = Array.isArray(value) ? (value as Message[]) : []
  return entries.map((entry) => [
    entry['name'] as string,
    entry['value'] === undefined
      ? fromKind(kind, kind === 'string' ? '' : {})
      : fromKind(kind, entry['value']),
  ])
}

function fromMessage(name: string, message: Message): unknown {
  const spec = messages[name]
  if (spec === undefined) throw new Error(`no message ${name} (${namedMessageOf(name)})`)
  switch (spec.shape) {
    case 'object': {
      const out: Message = {}
      for (const [key, field, , kind] of spec.fields)
        if (message[field] !== undefined) out[key] = fromKind(kind, message[field])
      for (const map of spec.maps ?? [])
        for (const [key, value] of entriesOf(message[map.name], map.value)) out[key] = value
      return out
    }
    case 'map':
      return Object.fromEntries(entriesOf(message['additional_properties'], spec.value))
    case 'oneof':
      for (const [field, , kind] of spec.alternatives)
        if (message[field] !== undefined) return fromKind(kind, message[field])
      return {}
    case 'type-item': {
      const texts = (message['value'] ?? []) as string[]
      return texts.length === 1 ? texts[0] : texts
    }
    case 'items-item': {
      const schemas = ((message['schema'] ?? []) as Message[]).map((s) => fromMessage('Schema', s))
      return schemas.length === 1 ? schemas[0] : schemas
    }
    case 'string-array':
      return message['value'] ?? []
  }
}

/** The JSON without the zero scalars (`false`, `0`, `''`) a proto3 field does not keep. */
export function withoutZeros(value: unknown, inAny = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutZeros(item, inAny))
  if (!isJsonObject(value)) return value
  const out: Message = {}
  for (const [key, item] of Object.entries(value)) {
    // Vendor extensions, defaults, examples and enum values are YAML: every value survives.
    const any = inAny || key.startsWith('x-') || ['default', 'example', 'enum'].includes(key)
    // A oneof member is written even when zero: `additionalProperties: false` stays.
    const zero = item === false || item === 0 || item === ''
    if (!any && zero && key !== 'additionalProperties') continue
    out[key] = withoutZeros(item, any)
  }
  return out
}

/**
 * The oracle built from test/fixtures/openapi-v2-oracle (kube-openapi's ToProtoBinary and
 * gnostic's YAML), or why it cannot be: Go is absent or the build failed.
 */
export function buildOracle(): { run(mode: 'proto' | 'yaml', input: Uint8Array): Buffer } | string {
  const out = buildGoFixture('openapi-v2-oracle')
  if (typeof out !== 'string') return out.skip
  return {
    run: (mode, input) => execFileSync(out, [mode], { input, maxBuffer: 1 << 30 }),
  }
}

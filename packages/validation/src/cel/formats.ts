// The strings k8s.io/apiserver pkg/cel/common valuesunstructured.go UnstructuredToVal turns into
// other CEL types by their format: `date-time` and `date` become timestamps (strfmt.ParseDateTime,
// time.Parse of RFC3339FullDate), `duration` a duration (strfmt.ParseDuration), `byte` bytes
// (base64). The values are the protobuf well-known types @bufbuild/cel evaluates timestamps and
// durations as. A string that does not parse stays a string (the server makes it an error value).
import type { CelValue } from '@bufbuild/cel'
import { create } from '@bufbuild/protobuf'
import { reflect } from '@bufbuild/protobuf/reflect'
import { DurationSchema, TimestampSchema } from '@bufbuild/protobuf/wkt'
import { parseDuration } from '../go-duration.js'

const dateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/

function timestamp(text: string, dateOnly: boolean): CelValue | undefined {
  const m = dateTime.exec(text)
  if (m === null || (dateOnly && m[4] !== undefined) || (!dateOnly && m[4] === undefined))
    return undefined
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = m
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  const check = new Date(ms)
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined
  let offset = 0
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60)
  }
  const value = create(TimestampSchema, {
    seconds: BigInt(ms / 1000 - offset),
    nanos: Number(fraction.padEnd(9, '0')),
  })
  return reflect(TimestampSchema, value)
}

// strfmt.ParseDuration, the parser the `duration` format check uses.
function duration(text: string): CelValue | undefined {
  const total = parseDuration(text)
  if (total === undefined) return undefined
  const value = create(DurationSchema, {
    seconds: total / 1_000_000_000n,
    nanos: Number(total % 1_000_000_000n),
  })
  return reflect(DurationSchema, value)
}

function bytes(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

/** The CEL value of a string of this format, or undefined to keep it a string. */
export function formattedString(format: string | undefined, text: string): CelValue | undefined {
  switch (format) {
    case 'date-time':
      return timestamp(text, false)
    case 'date':
      return timestamp(text, true)
    case 'duration':
      return duration(text)
    case 'byte':
      return bytes(text)
    case undefined:
    default:
      return undefined
  }
}

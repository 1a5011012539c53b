// apimachinery pkg/util/validation/field/errors.go: the field.Error the apiserver builds for each
// problem, and ErrorBody(), the text a Status cause carries.
import { goJson, goNumber, goQuote } from './go-format.js'

/** A `field.ErrorType`: the `reason` of a Status cause. */
export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueForbidden'

/**
 * One problem with one field, as apimachinery's `field.Error`: the path (`spec.replicas`, or
 * `<nil>` where the server has no path), the value it complains about and a detail.
 *
 * @example
 * const e: FieldError = { type: 'FieldValueRequired', field: 'spec.host', badValue: '', detail: '' }
 */
export interface FieldError {
  readonly type: FieldErrorType
  readonly field: string
  /** `omitted` when the server prints no value (TooMany without a count, TooLong). */
  readonly badValue: unknown
  readonly detail: string
}

const typeText: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueForbidden: 'Forbidden',
}

/** Marks a value the server leaves out of the message (`field.omitValue`). */
export const omitted: unique symbol = Symbol('omitted')

/**
 * `field.Error.ErrorBody()`: the cause message, e.g. `Invalid value: "x": must be …`.
 *
 * @example
 * errorBody({ type: 'FieldValueRequired', field: 'spec.host', badValue: '', detail: '' }) // 'Required value'
 */
export function errorBody(e: FieldError): string {
  let s = typeText[e.type]
  if (
    e.type !== 'FieldValueRequired' &&
    e.type !== 'FieldValueForbidden' &&
    e.type !== 'FieldValueTooLong'
  ) {
    if (e.badValue !== omitted) s += ': ' + badValueText(e.badValue)
  }
  return e.detail.length > 0 ? `${s}: ${e.detail}` : s
}

// int64, float64 and bool print with %v, a string with %q, anything else as its JSON.
function badValueText(v: unknown): string {
  if (typeof v === 'number') return goNumber(v)
  if (typeof v === 'boolean') return String(v)
  if (typeof v === 'string') return goQuote(v)
  return goJson(v)
}

/**
 * `field.Error.Error()`: `<field>: <body>`, one entry of the Status message.
 *
 * @example
 * errorString({ type: 'FieldValueRequired', field: 'spec.host', badValue: '', detail: '' }) // 'spec.host: Required value'
 */
export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`
}

// The constructors below are field.Required, field.Invalid, … with their fixed details.

/**
 * field.Required.
 *
 * @example
 * required('spec.group').type // 'FieldValueRequired'
 */
export function required(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, badValue: '', detail }
}

/**
 * field.Invalid.
 *
 * @example
 * errorString(invalid('spec.group', 'x', 'should be a domain with at least one dot')) // 'spec.group: Invalid value: "x": should be …'
 */
export function invalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, badValue, detail }
}

export function typeInvalid(field: string, badValue: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, badValue, detail }
}

/**
 * field.Duplicate.
 *
 * @example
 * errorBody(duplicate('spec.x[1]', 'a')) // 'Duplicate value: "a"'
 */
export function duplicate(field: string, badValue: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, badValue, detail: '' }
}

/**
 * field.Forbidden.
 *
 * @example
 * errorBody(forbidden('spec.x', 'must not be set')) // 'Forbidden: must not be set'
 */
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, badValue: '', detail }
}

/**
 * field.NotSupported: each allowed value quoted with strconv.Quote.
 *
 * @example
 * errorBody(notSupported('spec.scope', 'All', ['Cluster', 'Namespaced'])) // 'Unsupported value: "All": supported values: "Cluster", "Namespaced"'
 */
export function notSupported(
  field: string,
  badValue: unknown,
  validValues: readonly string[],
): FieldError {
  const detail =
    validValues.length > 0 ? 'supported values: ' + validValues.map(goQuote).join(', ') : ''
  return { type: 'FieldValueNotSupported', field, badValue, detail }
}

/** field.TooLong: says "bytes" even where kube-openapi counted runes. */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}`
      : 'value is too long'
  return { type: 'FieldValueTooLong', field, badValue: omitted, detail }
}

/**
 * field.TooMany.
 *
 * @example
 * errorBody(tooMany('spec.x', 9, 8)) // 'Too many: 9: must have at most 8 items'
 */
export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail =
    max >= 0 ? `must have at most ${max} ${max === 1 ? 'item' : 'items'}` : 'has too many items'
  return { type: 'FieldValueTooMany', field, badValue: actual >= 0 ? actual : omitted, detail }
}

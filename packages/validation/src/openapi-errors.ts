// kube-openapi pkg/validation/errors/schema.go: the errors the SchemaValidator collects, with the
// messages of its constructors for `in` = "body" (NewSchemaValidator always sets it), and
// apiextensions-apiserver pkg/apiserver/validation/validation.go kubeOpenAPIResultToFieldErrors,
// which turns them into field errors.
import {
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
  type FieldError,
} from './field-error.js'
import { goJson } from './go-format.js'

export type OpenApiErrorCode =
  | 'InvalidType'
  | 'RequiredFail'
  | 'TooLongFail'
  | 'TooShortFail'
  | 'PatternFail'
  | 'EnumFail'
  | 'MultipleOfFail'
  | 'MaxFail'
  | 'MinFail'
  | 'UniqueFail'
  | 'MaxItemsFail'
  | 'MinItemsFail'
  | 'TooFewProperties'
  | 'TooManyProperties'
  | 'UnallowedProperty'
  | 'MultipleOfMustBePositive'

/** An `errors.Validation` (`value` null is Go's nil), or a plain `error` (`code` undefined). */
export interface OpenApiError {
  readonly code?: OpenApiErrorCode
  readonly name: string
  readonly value: unknown
  readonly valid?: number
  readonly values?: readonly unknown[]
  readonly message: string
}

/** kubeOpenAPIResultToFieldErrors with a nil fldPath, as the custom resource validator calls it. */
export function toFieldErrors(errs: readonly OpenApiError[]): FieldError[] {
  return errs.map((err) => {
    if (err.code === undefined) return invalid('<nil>', '', err.message)
    const path = err.name.length > 0 && err.name !== '.' ? err.name.replace(/^\./, '') : '<nil>'
    const value = err.value ?? ''
    switch (err.code) {
      case 'RequiredFail':
        return required(path)
      case 'EnumFail':
        return notSupported(
          path,
          err.value,
          (err.values ?? []).map((v) => (typeof v === 'string' ? v : goJson(v))),
        )
      case 'TooLongFail':
        return tooLong(path, err.valid ?? -1)
      case 'MaxItemsFail':
      case 'TooManyProperties':
        return tooMany(path, typeof err.value === 'number' ? err.value : -1, err.valid ?? -1)
      case 'InvalidType':
        return typeInvalid(path, value, err.message)
      case 'TooShortFail':
      case 'PatternFail':
      case 'MultipleOfFail':
      case 'MultipleOfMustBePositive':
      case 'MaxFail':
      case 'MinFail':
      case 'UniqueFail':
      case 'MinItemsFail':
      case 'TooFewProperties':
      case 'UnallowedProperty':
        return invalid(path, value, err.message)
    }
  })
}

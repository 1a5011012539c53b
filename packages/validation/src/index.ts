export { compareQuantities } from './cel/library/quantity.js'
export { maxDepth, ValidationError, type ValidationErrorCode } from './errors.js'
export { type FieldError, type FieldErrorType } from './field-error.js'
export { type Schema, type ValidationRule } from './schema.js'
export { newInvalid, newStrictDecodingError, type Status, type StatusCause } from './status.js'
export {
  decodeObject,
  findUnknownFields,
  validateObject,
  type OpenApiDocument,
  type ValidateOptions,
} from './validate.js'
export { isK8sCodegenError } from '@k8s-codegen/proxy-url'

export { compareQuantities, parsedQuantity } from './cel/library/quantity.js'
export { maxDepth, ValidationError, type ValidationErrorCode } from './errors.js'
export {
  duplicate,
  errorString,
  forbidden,
  invalid,
  notSupported,
  required,
  tooMany,
  type FieldError,
  type FieldErrorType,
} from './field-error.js'
export { keptFormat } from './formats.js'
export { GoStruct, goQuote } from './go-format.js'
export { isDns1035Label, isDns1123Subdomain } from './name-rules.js'
export { checkRule, type RuleCheck } from './cel/compile.js'
export { validFieldPath } from './cel/field-path.js'
export { validateSchemaDefault } from './schema-default.js'
export { type Schema, type ValidationRule } from './schema.js'
export {
  newDecodeError,
  newInvalid,
  newStrictDecodingError,
  type BadRequestStatus,
  type Status,
  type StatusCause,
} from './status.js'
export {
  decodeObject,
  findDecodeError,
  findUnknownFields,
  validateObject,
  type OpenApiDocument,
  type ValidateOptions,
} from './validate.js'
export { isK8sCodegenError } from '@k8s-codegen/proxy-url'

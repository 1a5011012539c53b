import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link ValidationError}.
 *
 * @example
 * const code: ValidationErrorCode = 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND'
 */
export type ValidationErrorCode =
  /** The object has no string apiVersion and kind. */
  | 'K8S_CODEGEN_VALIDATION_NOT_AN_OBJECT'
  /** No schema of the document carries the object's apiVersion/kind in `x-kubernetes-group-version-kind`. */
  | 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND'
  /** An object nested deeper than {@link maxDepth} levels (our bound on hostile input). */
  | 'K8S_CODEGEN_VALIDATION_TOO_DEEP'
  /** A `$ref` that names no schema of the document, or a chain of them too long to be real. */
  | 'K8S_CODEGEN_VALIDATION_BAD_REF'

/**
 * Thrown when an object cannot be validated at all (an invalid object is a Status, not an error).
 *
 * @example
 * try {
 *   validateObject({ components: { schemas: {} } }, { apiVersion: 'v1', kind: 'Nope' })
 * } catch (error) {
 *   if (error instanceof ValidationError) error.code // 'K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND'
 * }
 */
/**
 * How deeply an object may nest. Validation walks an object recursively, so this bounds hostile
 * input; real objects are far shallower (the apiserver's own JSON decoder stops at 10000).
 *
 * @example
 * maxDepth // 1000
 */
export const maxDepth = 1000

export class ValidationError extends K8sCodegenError<ValidationErrorCode> {}

import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link CodegenError}.
 *
 * | code | rule that failed |
 * |---|---|
 * | `K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT` | a group-version document is not an OpenAPI 3 object with `components.schemas` |
 * | `K8S_CODEGEN_CODEGEN_UNRESOLVED_REF` | a `$ref` names a schema that no input document defines |
 * | `K8S_CODEGEN_CODEGEN_FIXUP_STALE` | a declared upstream-spec fixup no longer matches the spec it patches |
 * | `K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED` | a document is larger, or nests deeper, than the limits |
 * | `K8S_CODEGEN_CODEGEN_INVALID_NAME` | a group, version, plural or subresource is not a name the apiserver accepts |
 * | `K8S_CODEGEN_CODEGEN_EMIT_FAILED` | the emitter or the declaration emit failed on a module (a bug: report it) |
 */
export type CodegenErrorCode =
  | 'K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT'
  | 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF'
  | 'K8S_CODEGEN_CODEGEN_FIXUP_STALE'
  | 'K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED'
  | 'K8S_CODEGEN_CODEGEN_INVALID_NAME'
  | 'K8S_CODEGEN_CODEGEN_EMIT_FAILED'

/**
 * Error thrown by {@link generate} when its input cannot be turned into correct TypeScript.
 *
 * @example
 * try {
 *   await generate(input)
 * } catch (error) {
 *   if (error instanceof CodegenError && error.code === 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF') {
 *     console.error(error.message)
 *   }
 * }
 */
export class CodegenError extends K8sCodegenError<CodegenErrorCode> {}

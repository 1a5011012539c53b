import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link ResourcePathError}.
 *
 * @example
 * const code: ResourcePathErrorCode = 'K8S_CODEGEN_PATH_SCOPE'
 */
export type ResourcePathErrorCode =
  /** A namespace that is not a DNS-1123 label (apimachinery `ValidateNamespaceName`). */
  | 'K8S_CODEGEN_PATH_INVALID_NAMESPACE'
  /** A name that is not a valid path segment (apimachinery `IsValidPathSegmentName`). */
  | 'K8S_CODEGEN_PATH_INVALID_NAME'
  /** A namespace for a cluster-scoped resource, or none where one is required. */
  | 'K8S_CODEGEN_PATH_SCOPE'
  /** A subresource the resource does not serve, or one without an object name. */
  | 'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE'
  /** `proxyPath()` of a resource that is not a core/v1 service, pod or node. */
  | 'K8S_CODEGEN_PATH_NOT_PROXIED'

/**
 * Thrown by a descriptor's `path()` and `proxyPath()` for input the apiserver would refuse or
 * read as another path. `proxyPath()` also throws `ProxyUrlError` of `@k8s-codegen/proxy-url`
 * (its rules are that package's); `isK8sCodegenError()` recognises both.
 *
 * @example
 * try {
 *   Namespace.path({ name: 'a/b' })
 * } catch (error) {
 *   if (error instanceof ResourcePathError) error.code // 'K8S_CODEGEN_PATH_INVALID_NAME'
 * }
 */
export class ResourcePathError extends K8sCodegenError<ResourcePathErrorCode> {}

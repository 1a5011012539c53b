export { ResourcePathError, type ResourcePathErrorCode } from './errors.js'
export {
  defineProxiedResource,
  defineResource,
  type ClusterPathOptions,
  type Embedded,
  type GroupVersionPrefix,
  type ListItem,
  type ListOf,
  type NamespacedPathOptions,
  type ObjectOf,
  type PathOptions,
  type PrinterColumn,
  type ProxiedResource,
  type ProxyPathOptions,
  type Resource,
  type ResourceInfo,
  type ResourcePath,
  type SubresourceInfo,
} from './resource.js'
export { isK8sCodegenError, ProxyUrlError } from '@k8s-codegen/proxy-url'

export {
  defaultKubeVersion,
  describeKubeVersion,
  kubeVersions,
  loadBuiltInDocument,
  type BuiltInDocument,
  type KubeRelease,
} from './built-in-documents.js'
export { KubeSchemasError, type KubeSchemasErrorCode } from './errors.js'

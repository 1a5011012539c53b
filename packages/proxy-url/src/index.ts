export { K8sCodegenError, isK8sCodegenError } from './errors.js'

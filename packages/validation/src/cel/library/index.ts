// The function set of the Kubernetes CEL environment (k8s.io/apiserver pkg/cel/environment
// base.go): the libraries the environment of apiextensions-apiserver pkg/apiserver/schema/cel
// compiles `x-kubernetes-validations` rules with. The strings extension of cel-go
// (ext.Strings) comes from @bufbuild/cel/ext.
import type { CelFunc } from '@bufbuild/cel'
import { strings } from '@bufbuild/cel/ext'

/**
 * The functions every `x-kubernetes-validations` rule can call, beyond CEL's standard ones.
 *
 * @example
 * import { celEnv } from '@bufbuild/cel'
 * const env = celEnv({ funcs: kubernetesCelFunctions })
 */
export const kubernetesCelFunctions: readonly CelFunc[] = strings

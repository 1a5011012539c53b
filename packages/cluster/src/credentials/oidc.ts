// The `oidc` auth-provider (client-go `plugin/pkg/client/auth/oidc/oidc.go`): the `id-token`
// from the provider config is sent as a bearer token. Refreshing it with `refresh-token` needs the
// identity provider; we leave that to the login helper that wrote the kubeconfig and say so.
// `gcp` and `azure` were removed from client-go (`plugin/pkg/client/auth/gcp/gcp_stub.go`,
// `azure/azure_stub.go`); we give the same advice.
import { ClusterError } from '../errors.js'
import type { KubeconfigAuthProvider } from '../kubeconfig-types.js'

const REMOVED: Record<string, string> = {
  gcp: 'the gcp auth plugin has been removed; use the "gke-gcloud-auth-plugin" kubectl/client-go credential plugin instead (see https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke)',
  azure:
    'the azure auth plugin has been removed; use the "kubelogin" client-go credential plugin instead (see https://azure.github.io/kubelogin/)',
}

/** The id-token of an `oidc` auth-provider, or a clear error for any other provider. */
export function authProviderToken(provider: KubeconfigAuthProvider, owner: string): string {
  const removed = REMOVED[provider.name]
  if (removed !== undefined) {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED',
      `${owner} uses auth-provider "${provider.name}": ${removed}`,
    )
  }
  if (provider.name !== 'oidc') {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED',
      `${owner} uses auth-provider "${provider.name}", which is not supported; supported: oidc (or use an exec credential plugin)`,
    )
  }
  const token = provider.config['id-token']
  if (token === undefined || token === '') {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED',
      `${owner} uses auth-provider "oidc" without an id-token in auth-provider.config; log in with your OIDC helper first (refreshing with refresh-token is not supported)`,
    )
  }
  return token
}

// kubectl's `--as`, `--as-uid` and `--as-group`: the request is made as another user, by headers
// the API server's impersonation filter reads (client-go `transport/round_trippers.go`
// `impersonatingRoundTripper`: Impersonate-User, Impersonate-Uid, one Impersonate-Group per
// group; `tools/clientcmd/validation.go` refuses a uid or groups without a user).
import { ClusterError } from './errors.js'

/**
 * Who the requests of a connection act as.
 *
 * @example
 * const as: Impersonation = { user: 'jane', groups: ['developers'] }
 */
export interface Impersonation {
  user: string
  uid?: string
  groups: string[]
}

/**
 * The impersonation the flags ask for, or undefined when none; a uid or groups without a user is
 * `K8S_CODEGEN_CLUSTER_USAGE`, as kubectl refuses it.
 *
 * @example
 * impersonationOf({ as: 'jane', asGroups: ['dev'] }) // { user: 'jane', groups: ['dev'] }
 */
export function impersonationOf(flags: {
  as?: string | undefined
  asUid?: string | undefined
  asGroups?: readonly string[] | undefined
}): Impersonation | undefined {
  const groups = (flags.asGroups ?? []).filter((g) => g !== '')
  const uid = flags.asUid ?? ''
  if (flags.as === undefined || flags.as === '') {
    if (uid !== '' || groups.length > 0)
      throw new ClusterError(
        'K8S_CODEGEN_CLUSTER_USAGE',
        'requesting uid or groups (--as-uid, --as-group) without impersonating a user: add --as <user>',
      )
    return undefined
  }
  return { user: flags.as, ...(uid === '' ? {} : { uid }), groups }
}

/**
 * The request headers of an impersonation.
 *
 * @example
 * impersonationHeaders({ user: 'jane', groups: ['a', 'b'] }) // { 'impersonate-user': 'jane', 'impersonate-group': ['a', 'b'] }
 */
export function impersonationHeaders(as: Impersonation): Record<string, string | string[]> {
  return {
    'impersonate-user': as.user,
    ...(as.uid === undefined ? {} : { 'impersonate-uid': as.uid }),
    ...(as.groups.length === 0 ? {} : { 'impersonate-group': [...as.groups] }),
  }
}

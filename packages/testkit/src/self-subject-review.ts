// `POST /apis/authentication.k8s.io/v1/selfsubjectreviews` (`kubectl auth whoami`): kubernetes
// `pkg/registry/authentication/selfsubjectreview/rest.go` REST.Create answers the request's own
// user as authentication found it, with a creation time and nothing stored.
import type { JsonObject } from './_json.js'
import { nowTime } from './managed-fields.js'
import type { UserInfo } from './service-account-token.js'

/**
 * The SelfSubjectReview kube-apiserver answers (201) for `user`.
 *
 * @example
 * send(exchange, 201, selfSubjectReview(exchange.user, 'v1'))
 */
export function selfSubjectReview(user: UserInfo, version: string): JsonObject {
  // authentication/v1 UserInfo: uid and extra are omitempty.
  const userInfo: JsonObject = { username: user.username }
  if (user.uid !== undefined && user.uid !== '') userInfo['uid'] = user.uid
  userInfo['groups'] = [...user.groups]
  if (user.extra !== undefined) userInfo['extra'] = user.extra
  return {
    kind: 'SelfSubjectReview',
    apiVersion: `authentication.k8s.io/${version}`,
    metadata: { creationTimestamp: nowTime() },
    status: { userInfo },
  }
}

// Service account tokens as kube-apiserver issues and accepts them. Issued: kubernetes
// `pkg/serviceaccount/claims.go` `Claims` (`sub` system:serviceaccount:<ns>:<name>, `aud`, `iat` =
// `nbf` = now, `exp`, a `jti`, and the `kubernetes.io` private claims naming the namespace, the
// service account and the bound pod, secret or node, `warnafter` for the pod-bound transition
// token) signed as `pkg/serviceaccount/jwt.go` signs them (ES256, `kid` the base64url SHA-256 of
// the public key's DER). Accepted: jwt.go `AuthenticateToken` (our issuer, a good signature, an
// audience among the server's), then claims.go `validator.Validate` (go-jose's one-minute leeway
// on exp/nbf/iat; the service account and the bound object still exist with the same uid and are
// not deleting), which makes apiserver `pkg/authentication/serviceaccount` `UserInfo`.
import {
  createHash,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { isJsonObject, type JsonObject } from './_json.js'

/**
 * A user as kube-apiserver's authenticators report one (authentication/v1 `UserInfo`).
 *
 * @example
 * const user: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] }
 */
export interface UserInfo {
  username: string
  uid?: string
  groups: string[]
  extra?: Record<string, string[]>
}

/** An object a token names. */
export interface TokenRef {
  name: string
  uid: string
}

/** What a token is issued for (claims.go `Claims`). */
export interface TokenClaims {
  namespace: string
  serviceAccount: TokenRef
  pod?: TokenRef | undefined
  secret?: TokenRef | undefined
  node?: TokenRef | undefined
  audiences: string[]
  /** seconds from now to `exp` */
  expirationSeconds: number
  /** seconds from now to `warnafter` (token.go: the pod-bound token of 3607 s lives a year) */
  warnAfterSeconds?: number | undefined
}

/** The live object a token names, or undefined when there is none. */
export type BoundObjectLookup = (
  resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes',
  namespace: string,
  name: string,
) => JsonObject | undefined

// go-jose `jwt.DefaultLeeway`.
const leewaySeconds = 60

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

/**
 * The signing key and issuer of one server's service account tokens; the key is made on the
 * first token.
 *
 * @example
 * const tokens = new ServiceAccountTokens(() => `${server.url}/`)
 * const jwt = tokens.issue({ namespace: 'default', serviceAccount: { name: 'robot', uid }, audiences: tokens.audiences(), expirationSeconds: 3600 })
 */
export class ServiceAccountTokens {
  readonly #issuer: () => string
  #key: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined

  /** `issuer` is read when a token is issued or checked (the server's URL is known late). */
  constructor(issuer: () => string) {
    this.#issuer = issuer
  }

  /** The API audiences (`--api-audiences`, which default to the issuer). */
  audiences(): string[] {
    return [this.#issuer()]
  }

  #keys(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
    if (this.#key === undefined) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const der = publicKey.export({ type: 'spki', format: 'der' })
      this.#key = {
        privateKey,
        publicKey,
        kid: base64url(createHash('sha256').update(der).digest()),
      }
    }
    return this.#key
  }

  /** A signed token for `claims`, issued at `nowMs`. */
  issue(claims: TokenClaims, nowMs: number = Date.now()): string {
    const { privateKey, kid } = this.#keys()
    const now = Math.floor(nowMs / 1000)
    const kubernetes: JsonObject = { namespace: claims.namespace }
    // claims.go: a node goes with a pod (its node info) or alone; a secret alone.
    if (claims.node !== undefined) kubernetes['node'] = { ...claims.node }
    if (claims.pod !== undefined) kubernetes['pod'] = { ...claims.pod }
    if (claims.secret !== undefined) kubernetes['secret'] = { ...claims.secret }
    kubernetes['serviceaccount'] = { ...claims.serviceAccount }
    if (claims.warnAfterSeconds !== undefined)
      kubernetes['warnafter'] = now + claims.warnAfterSeconds
    // go-jose writes the merged claims with their keys sorted.
    const payload = {
      aud: claims.audiences,
      exp: now + claims.expirationSeconds,
      iat: now,
      iss: this.#issuer(),
      jti: randomUUID(),
      'kubernetes.io': kubernetes,
      nbf: now,
      sub: `system:serviceaccount:${claims.namespace}:${claims.serviceAccount.name}`,
    }
    const signed = `${base64url(JSON.stringify({ alg: 'ES256', kid }))}.${base64url(JSON.stringify(payload))}`
    const signature = sign('sha256', Buffer.from(signed), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    })
    return `${signed}.${base64url(signature)}`
  }

  /**
   * The user of a token: a UserInfo when it is one of ours and still valid, `'invalid'` when it is
   * ours (our issuer) but fails a check — a 401, as jwt.go returns an error — and undefined when
   * it is not a token of this issuer at all (other authenticators may know it).
   */
  authenticate(
    token: string,
    lookup: BoundObjectLookup,
    nowMs: number = Date.now(),
  ): UserInfo | 'invalid' | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const [head = '', body = '', signature = ''] = parts
    const payload = parseSegment(body)
    // jwt.go hasCorrectIssuer: a token of another issuer is not this authenticator's.
    if (payload === undefined || payload['iss'] !== this.#issuer()) return undefined
    const header = parseSegment(head)
    const { publicKey, kid } = this.#keys()
    if (header?.['alg'] !== 'ES256' || (header['kid'] !== undefined && header['kid'] !== kid))
      return 'invalid'
    const good = verify(
      'sha256',
      Buffer.from(`${head}.${body}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    )
    if (!good) return 'invalid'
    const audiences = Array.isArray(payload['aud']) ? payload['aud'] : [payload['aud']]
    if (
      payload['aud'] !== undefined &&
      !audiences.some((a) => this.audiences().includes(a as string))
    )
      return 'invalid'
    const now = nowMs / 1000
    const exp = payload['exp']
    const notBefore = [payload['nbf'], payload['iat']]
    if (typeof exp !== 'number' || now >= exp + leewaySeconds) return 'invalid'
    if (notBefore.some((t) => typeof t === 'number' && now + leewaySeconds < t)) return 'invalid'
    return validate(payload, lookup, now) ?? 'invalid'
  }
}

function parseSegment(segment: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return isJsonObject(value) ? value : undefined
  } catch {
    return undefined
  }
}

function refOf(value: unknown): TokenRef | undefined {
  if (!isJsonObject(value) || typeof value['name'] !== 'string') return undefined
  return { name: value['name'], uid: typeof value['uid'] === 'string' ? value['uid'] : '' }
}

// claims.go validator.Validate: each named object must still be there, the same one, and not
// deleted more than the leeway ago.
function validate(
  payload: JsonObject,
  lookup: BoundObjectLookup,
  now: number,
): UserInfo | undefined {
  const k8s = isJsonObject(payload['kubernetes.io']) ? payload['kubernetes.io'] : {}
  const namespace = typeof k8s['namespace'] === 'string' ? k8s['namespace'] : ''
  const account = refOf(k8s['serviceaccount'])
  if (account === undefined) return undefined
  const live = (resource: Parameters<BoundObjectLookup>[0], ref: TokenRef, ns: string): boolean => {
    const object = lookup(resource, ns, ref.name)
    const meta = isJsonObject(object?.['metadata']) ? object['metadata'] : undefined
    if (meta === undefined || meta['uid'] !== ref.uid) return false
    const deleted = meta['deletionTimestamp']
    return typeof deleted !== 'string' || Date.parse(deleted) / 1000 >= now - leewaySeconds
  }
  if (!live('serviceaccounts', account, namespace)) return undefined
  const secret = refOf(k8s['secret'])
  if (secret !== undefined && !live('secrets', secret, namespace)) return undefined
  const pod = refOf(k8s['pod'])
  if (pod !== undefined && !live('pods', pod, namespace)) return undefined
  const node = refOf(k8s['node'])
  // A node beside a pod is only the pod's node info; a node alone is the bound object.
  if (node !== undefined && pod === undefined && !live('nodes', node, '')) return undefined
  // apiserver pkg/authentication/serviceaccount util.go ServiceAccountInfo.UserInfo, the extra
  // keys in the order Go's encoder sorts them.
  const extra: Record<string, string[]> = {}
  if (typeof payload['jti'] === 'string' && payload['jti'] !== '')
    extra['authentication.kubernetes.io/credential-id'] = [`JTI=${payload['jti']}`]
  if (node !== undefined) {
    extra['authentication.kubernetes.io/node-name'] = [node.name]
    if (node.uid !== '') extra['authentication.kubernetes.io/node-uid'] = [node.uid]
  }
  if (pod !== undefined && pod.uid !== '') {
    extra['authentication.kubernetes.io/pod-name'] = [pod.name]
    extra['authentication.kubernetes.io/pod-uid'] = [pod.uid]
  }
  const user: UserInfo = {
    username: `system:serviceaccount:${namespace}:${account.name}`,
    uid: account.uid,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
  }
  if (Object.keys(extra).length > 0) user.extra = extra
  return user
}

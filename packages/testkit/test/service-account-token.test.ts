import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../src/_json.js'
import { ServiceAccountTokens, type TokenClaims } from '../src/service-account-token.js'

// Which issued tokens authenticate, and when: kubernetes pkg/serviceaccount/jwt.go
// AuthenticateToken and claims.go validator.Validate, on a clock the test moves.
const issuer = 'https://127.0.0.1:6443/'
const tokens = new ServiceAccountTokens(() => issuer)
const issuedAt = Date.UTC(2026, 0, 1)
const claims: TokenClaims = {
  namespace: 'ns',
  serviceAccount: { name: 'robot', uid: 'sa-1' },
  audiences: [issuer],
  expirationSeconds: 600,
}
const object = (uid: string, deletionTimestamp?: string): JsonObject => ({
  metadata: { uid, ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }) },
})
const live = { serviceaccounts: object('sa-1'), pods: object('pod-1'), secrets: object('s-1') }

interface Given {
  claims?: Partial<TokenClaims>
  /** seconds after issuance */
  at?: number
  objects?: Partial<Record<keyof typeof live, JsonObject | undefined>>
  edit?: (token: string) => string
}

describe('ServiceAccountTokens.authenticate', () => {
  it.each<{ given: Given & { name: string }; want: string }>([
    { given: { name: 'a fresh token' }, want: 'system:serviceaccount:ns:robot' },
    // go-jose's one-minute leeway: a token works until a minute after its exp.
    { given: { name: 'at exp + 59 s', at: 659 }, want: 'system:serviceaccount:ns:robot' },
    { given: { name: 'at exp + 60 s', at: 660 }, want: 'invalid' },
    { given: { name: 'a minute before it was issued', at: -61 }, want: 'invalid' },
    { given: { name: 'for another audience', claims: { audiences: ['vault'] } }, want: 'invalid' },
    {
      given: { name: 'its service account deleted', objects: { serviceaccounts: undefined } },
      want: 'invalid',
    },
    {
      given: {
        name: 'its service account recreated',
        objects: { serviceaccounts: object('sa-2') },
      },
      want: 'invalid',
    },
    {
      given: {
        name: 'its service account deleting for 2 minutes',
        at: 120,
        objects: { serviceaccounts: object('sa-1', new Date(issuedAt).toISOString()) },
      },
      want: 'invalid',
    },
    {
      given: {
        name: 'its service account deleting since now',
        objects: { serviceaccounts: object('sa-1', new Date(issuedAt).toISOString()) },
      },
      want: 'system:serviceaccount:ns:robot',
    },
    {
      given: {
        name: 'its bound pod gone',
        claims: { pod: { name: 'p', uid: 'pod-1' } },
        objects: { pods: undefined },
      },
      want: 'invalid',
    },
    {
      given: { name: 'its bound pod there', claims: { pod: { name: 'p', uid: 'pod-1' } } },
      want: 'system:serviceaccount:ns:robot',
    },
    {
      given: {
        name: 'its bound secret replaced',
        claims: { secret: { name: 's', uid: 's-1' } },
        objects: { secrets: object('s-2') },
      },
      want: 'invalid',
    },
    {
      given: { name: 'a changed signature', edit: (t) => `${t.slice(0, -4)}AAAA` },
      want: 'invalid',
    },
    { given: { name: 'not a JWT', edit: () => 'opaque-token' }, want: 'not ours' },
    {
      given: {
        name: 'another issuer',
        edit: (t) => {
          const [h, , s] = t.split('.')
          return `${h}.${Buffer.from(JSON.stringify({ iss: 'https://elsewhere/' })).toString('base64url')}.${s}`
        },
      },
      want: 'not ours',
    },
  ])('$given.name: $want', ({ given, want }) => {
    const token = tokens.issue({ ...claims, ...given.claims }, issuedAt)
    const objects = { ...live, ...given.objects }
    const user = tokens.authenticate(
      given.edit?.(token) ?? token,
      (resource, namespace, name) =>
        namespace === 'ns' && name !== '' ? objects[resource as keyof typeof live] : undefined,
      issuedAt + (given.at ?? 0) * 1000,
    )
    expect(user === undefined ? 'not ours' : user === 'invalid' ? user : user.username).toBe(want)
  })

  it('names the bound pod and its node in the user, as kube-apiserver does', () => {
    const token = tokens.issue(
      { ...claims, pod: { name: 'p', uid: 'pod-1' }, node: { name: 'n1', uid: 'node-1' } },
      issuedAt,
    )
    const user = tokens.authenticate(
      token,
      (resource) => live[resource as keyof typeof live],
      issuedAt,
    )
    expect(user).toMatchObject({
      uid: 'sa-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      extra: {
        'authentication.kubernetes.io/node-name': ['n1'],
        'authentication.kubernetes.io/node-uid': ['node-1'],
        'authentication.kubernetes.io/pod-name': ['p'],
        'authentication.kubernetes.io/pod-uid': ['pod-1'],
      },
    })
  })
})

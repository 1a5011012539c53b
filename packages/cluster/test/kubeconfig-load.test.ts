// Parsing and merging kubeconfig files (client-go loader.go), with properties over generated
// kubeconfigs: YAML (1.1, like Go's decoder) and JSON parse to the same entries, and the merge
// picks every name from the first file that defines it.
import fc from 'fast-check'
import path from 'node:path'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { kubeconfigCandidates, mergeKubeconfigs, parseKubeconfig } from '../src/kubeconfig-load.js'

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/)
// Strings that YAML 1.1 would turn into booleans/numbers/null unless quoted are included on purpose.
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('y', 'yes', 'on', 'off', 'null', '0x10', '010', '1e3', '~', ''),
)
const cluster = fc.record(
  {
    server: text,
    'insecure-skip-tls-verify': fc.boolean(),
    'tls-server-name': text,
    'disable-compression': fc.boolean(),
  },
  { requiredKeys: [] },
)
const user = fc.record({ token: text, username: text, password: text }, { requiredKeys: [] })
const context = fc.record({ cluster: text, user: text, namespace: text }, { requiredKeys: [] })
const named = <T>(item: fc.Arbitrary<T>, key: string) =>
  fc.uniqueArray(fc.record({ name, [key]: item }), { selector: (e) => e.name, maxLength: 4 })
const kubeconfig = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Config'),
  clusters: named(cluster, 'cluster'),
  users: named(user, 'user'),
  contexts: named(context, 'context'),
  'current-context': fc.option(name, { nil: undefined }),
})

describe('parseKubeconfig', () => {
  it('YAML and JSON renderings of the same kubeconfig parse to the same entries (property)', () => {
    fc.assert(
      fc.property(kubeconfig, (config) => {
        const fromYaml = parseKubeconfig(stringify(config, { version: '1.1' }), '/k/config')
        const fromJson = parseKubeconfig(JSON.stringify(config), '/k/config')
        expect(fromYaml).toEqual(fromJson)
        expect(fromJson.clusters.map((c) => c.name)).toEqual(config.clusters.map((c) => c.name))
        expect(fromJson.users.map((u) => u.value.token)).toEqual(
          config.users.map((u) => (u['user'] as { token?: string }).token),
        )
      }),
    )
  })

  it.each([
    { given: { command: './bin/plugin' }, want: path.join('/k', 'bin', 'plugin') },
    { given: { command: '../tools/plugin' }, want: path.join('/', 'tools', 'plugin') },
    { given: { command: 'aws' }, want: 'aws' },
    {
      given: { command: '/usr/local/bin/gke-gcloud-auth-plugin' },
      want: '/usr/local/bin/gke-gcloud-auth-plugin',
    },
  ])(
    'exec command $given.command resolves to $want (only with a path separator)',
    ({ given, want }) => {
      const file = parseKubeconfig(
        JSON.stringify({
          users: [
            {
              name: 'u',
              user: {
                exec: {
                  apiVersion: 'client.authentication.k8s.io/v1beta1',
                  command: given.command,
                },
              },
            },
          ],
        }),
        '/k/config',
      )
      expect(file.users[0]?.value.exec?.command).toBe(want)
    },
  )

  it.each([
    { given: '', want: { clusters: [], users: [], contexts: [] } },
    { given: '# only a comment\n', want: { clusters: [], users: [], contexts: [] } },
    { given: 'clusters: null\nusers: ~\n', want: { clusters: [], users: [], contexts: [] } },
  ])('an empty document is an empty kubeconfig: $given', ({ given, want }) => {
    expect(parseKubeconfig(given, '/k/config')).toEqual({ path: '/k/config', ...want })
  })

  it.each([
    { given: '- a\n- b\n', want: /must contain a mapping/ },
    { given: 'apiVersion: v2\n', want: /apiVersion "v2"/ },
    { given: 'kind: Pod\n', want: /kind "Pod"/ },
    { given: 'clusters: {a: 1}\n', want: /field clusters must be a list/ },
    {
      given: 'clusters: [{name: a, cluster: {server: 6443}}]\n',
      want: /clusters\[name="a"\]\.cluster\.server must be a string, got a number/,
    },
    {
      given: 'clusters: [{name: a, cluster: {certificate-authority-data: "not base64!"}}]\n',
      want: /certificate-authority-data is not valid base64/,
    },
    {
      given: 'users: [{name: u, user: {exec: {args: [1]}}}]\n',
      want: /exec\.args\[0\] must be a string/,
    },
  ])('rejects $given', ({ given, want }) => {
    expect(() => parseKubeconfig(given, '/k/config')).toThrow(want)
  })

  it('never quotes the offending line of a YAML syntax error (it may hold a token)', () => {
    expect(() =>
      parseKubeconfig('users:\n- name: u\n  user: {token: "secret-in-a-broken-line\n', '/k/config'),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('secret-in-a-broken-line') as unknown,
      }) as Error,
    )
  })
})

describe('mergeKubeconfigs', () => {
  it('each name comes from the first file defining it; current-context from the first setting it (property)', () => {
    fc.assert(
      fc.property(fc.array(kubeconfig, { minLength: 1, maxLength: 4 }), (configs) => {
        const files = configs.map((c, i) => parseKubeconfig(JSON.stringify(c), `/k/${i}`))
        const merged = mergeKubeconfigs(files)
        for (const [entryName, entry] of merged.clusters) {
          const first = files.findIndex((f) => f.clusters.some((c) => c.name === entryName))
          expect(entry.file).toBe(`/k/${first}`)
          expect(entry).toEqual(files[first]?.clusters.find((c) => c.name === entryName))
        }
        const firstCurrent = files.find((f) => f.currentContext !== undefined)
        expect(merged.currentContext?.name).toBe(firstCurrent?.currentContext)
      }),
    )
  })
})

describe('kubeconfigCandidates', () => {
  it.each([
    {
      given: { kubeconfig: '/x/flag', env: { KUBECONFIG: '/a' } },
      want: { paths: ['/x/flag'], origin: 'flag' },
    },
    {
      given: { env: { KUBECONFIG: ['/a', '', '/b', '/a'].join(path.delimiter) } },
      want: { paths: ['/a', '/b'], origin: 'env' },
    },
    {
      given: { env: { KUBECONFIG: '' }, homeDir: '/home/me' },
      want: { paths: ['/home/me/.kube/config'], origin: 'home' },
    },
    { given: { env: { HOME: '/h' } }, want: { paths: ['/h/.kube/config'], origin: 'home' } },
  ])('$given → $want.origin', ({ given, want }) => {
    expect(kubeconfigCandidates(given)).toEqual(want)
  })
})

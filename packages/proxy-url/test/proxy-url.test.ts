import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildProxyPath,
  buildProxyUrl,
  normalizeProxyTarget,
  parseProxyUrl,
  ProxyUrlError,
  type ProxyKind,
  type ProxyPathTarget,
  type ProxyTarget,
} from '../src/index.js'
import { hostileText, target } from './_arbitraries.js'
import { PROPERTY_TIMEOUT_MS, expectError, type WantError } from './_helpers.js'

/** The shared default context of the rows: a service in `default` on a plain server. */
const svc = {
  server: 'https://10.0.0.1',
  kind: 'service',
  namespace: 'default',
  name: 'web',
} satisfies ProxyTarget
const pod = { ...svc, kind: 'pod' } satisfies ProxyTarget
const node = { server: 'https://10.0.0.1', kind: 'node', name: 'node-1' } satisfies ProxyTarget

const SVC = 'https://10.0.0.1/api/v1/namespaces/default/services'
const POD = 'https://10.0.0.1/api/v1/namespaces/default/pods'

describe('buildProxyUrl', () => {
  const rows: { name: string; given: ProxyTarget; want: string }[] = [
    { name: 'no path ends in /proxy/', given: svc, want: `${SVC}/web/proxy/` },
    {
      name: 'scheme, name and port in one segment',
      given: { ...svc, scheme: 'https', port: 8443 },
      want: `${SVC}/https:web:8443/proxy/`,
    },
    {
      name: 'scheme without port keeps three parts',
      given: { ...svc, scheme: 'http' },
      want: `${SVC}/http:web:/proxy/`,
    },
    {
      name: 'named service port',
      given: { ...svc, port: 'metrics' },
      want: `${SVC}/web:metrics/proxy/`,
    },
    { name: 'port 65535', given: { ...pod, port: 65535 }, want: `${POD}/web:65535/proxy/` },
    { name: 'numeric string port', given: { ...pod, port: '0080' }, want: `${POD}/web:80/proxy/` },
    {
      name: 'web-0.db is a pod name',
      given: { ...pod, name: 'web-0.db' },
      want: `${POD}/web-0.db/proxy/`,
    },
    {
      name: '10.0.0.1 is a node name',
      given: { ...node, name: '10.0.0.1', scheme: 'https', port: 10250 },
      want: 'https://10.0.0.1/api/v1/nodes/https:10.0.0.1:10250/proxy/',
    },
    {
      name: 'IPv6 server keeps brackets and port',
      given: { ...svc, server: 'https://[::1]:6443' },
      want: 'https://[::1]:6443/api/v1/namespaces/default/services/web/proxy/',
    },
    {
      name: 'prefixed server keeps its prefix',
      given: { ...node, server: 'https://rancher.example/k8s/clusters/c-1' },
      want: 'https://rancher.example/k8s/clusters/c-1/api/v1/nodes/node-1/proxy/',
    },
    {
      name: 'trailing-slash server never gives //api',
      given: { ...svc, server: 'https://10.0.0.1/' },
      want: `${SVC}/web/proxy/`,
    },
    {
      name: 'several trailing slashes on a prefixed server',
      given: { ...node, server: 'https://rancher.example/k8s/clusters/c-1//' },
      want: 'https://rancher.example/k8s/clusters/c-1/api/v1/nodes/node-1/proxy/',
    },
    {
      name: 'scheme and host are lower-cased',
      given: { ...node, server: 'HTTPS://Rancher.Example:8443' },
      want: 'https://rancher.example:8443/api/v1/nodes/node-1/proxy/',
    },
    { name: 'plain path', given: { ...svc, path: 'healthz' }, want: `${SVC}/web/proxy/healthz` },
    {
      name: 'leading slash dropped',
      given: { ...svc, path: '/healthz/' },
      want: `${SVC}/web/proxy/healthz/`,
    },
    { name: 'root path', given: { ...svc, path: '/' }, want: `${SVC}/web/proxy/` },
    {
      name: '../../secrets clamps at the proxy root',
      given: { ...svc, path: '../../secrets' },
      want: `${SVC}/web/proxy/secrets`,
    },
    {
      name: 'a/./b/../c/ resolves and keeps the trailing slash',
      given: { ...svc, path: 'a/./b/../c/' },
      want: `${SVC}/web/proxy/a/c/`,
    },
    { name: 'a/.. is the root', given: { ...svc, path: 'a/..' }, want: `${SVC}/web/proxy/` },
    {
      name: 'empty segments collapse',
      given: { ...svc, path: 'a//b///' },
      want: `${SVC}/web/proxy/a/b/`,
    },
    {
      name: '%2e%2e in a plain path is data, never ..',
      given: { ...svc, path: '%2e%2e/%2E%2E/secrets' },
      want: `${SVC}/web/proxy/%252e%252e/%252E%252E/secrets`,
    },
    {
      name: '%2e%2e in rawPath means .. and clamps',
      given: { ...svc, rawPath: '%2e%2e/%2e%2e/api/v1/secrets' },
      want: `${SVC}/web/proxy/api/v1/secrets`,
    },
    {
      name: '? and # in a plain path are encoded',
      given: { ...svc, path: 'a?b#c' },
      want: `${SVC}/web/proxy/a%3Fb%23c`,
    },
    {
      name: 'encoded ? and # in rawPath stay encoded',
      given: { ...svc, rawPath: 'a%3Fb%23c' },
      want: `${SVC}/web/proxy/a%3Fb%23c`,
    },
    {
      name: 'spaces, backslashes, controls and non-ASCII are encoded',
      given: { ...svc, path: 'x y\\z/\u0000\t/ü😀' },
      want: `${SVC}/web/proxy/x%20y%5Cz/%00%09/%C3%BC%F0%9F%98%80`,
    },
    {
      name: 'sub-delims, : and @ stay literal',
      given: { ...svc, path: "a:b@c!$&'()*+,;=" },
      want: `${SVC}/web/proxy/a:b@c!$&'()*+,;=`,
    },
    {
      name: 'string query appended as given, %XX escapes kept (regression: were double-encoded)',
      given: { ...svc, query: 'watch=1&labelSelector=app%3Dweb' },
      want: `${SVC}/web/proxy/?watch=1&labelSelector=app%3Dweb`,
    },
    {
      name: 'a string query starting with ? keeps it: it is the raw query (regression: was stripped)',
      given: { ...svc, query: '?x=1' },
      want: `${SVC}/web/proxy/??x=1`,
    },
    {
      name: 'a raw query that is only ?',
      given: { ...svc, query: '?' },
      want: `${SVC}/web/proxy/??`,
    },
    {
      name: 'a raw query starting with ?& and ??',
      given: { ...svc, query: '??&a=b' },
      want: `${SVC}/web/proxy/???&a=b`,
    },
    {
      name: 'string query characters a URL cannot hold are encoded',
      given: { ...svc, query: "q=a b'ü" },
      want: `${SVC}/web/proxy/?q=a%20b%27%C3%BC`,
    },
    {
      name: 'record query is form-encoded',
      given: { ...svc, query: { q: "a b!'()~*", tag: ['x', 'y&z'] } },
      want: `${SVC}/web/proxy/?q=a+b%21%27%28%29%7E*&tag=x&tag=y%26z`,
    },
    {
      name: 'URLSearchParams query',
      given: { ...svc, query: new URLSearchParams([['a', '1 2']]) },
      want: `${SVC}/web/proxy/?a=1+2`,
    },
    { name: 'empty query adds no ?', given: { ...svc, query: '' }, want: `${SVC}/web/proxy/` },
  ]
  it.each(rows)('$name', ({ given, want }) => {
    expect(buildProxyUrl(given)).toBe(want)
    // What we build is what a WHATWG parser (fetch, undici, browsers) sends, unchanged.
    expect(new URL(want).href).toBe(want)
  })

  it('encodes a record query exactly like URLSearchParams', () => {
    const query = { q: ' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ü😀' }
    expect(buildProxyUrl({ ...svc, query })).toBe(
      `${SVC}/web/proxy/?${new URLSearchParams(query).toString()}`,
    )
  })

  it('errors for a server with credentials never contain them', () => {
    const error = expectError(
      () => buildProxyUrl({ ...svc, server: 'ftp://admin:hunter2@10.0.0.1' }),
      { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID' },
    )
    expect(error.message).not.toContain('hunter2')
    expect(error.message).not.toContain('admin')
  })
})

describe('buildProxyUrl rejects', () => {
  const rows: { name: string; given: ProxyTarget; want: WantError }[] = [
    {
      name: '64-char service name',
      given: { ...svc, name: `a${'b'.repeat(63)}` },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /service name .*DNS-1035.*63/ },
    },
    {
      name: 'web-0.db as a service name',
      given: { ...svc, name: 'web-0.db' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /"web-0.db".*DNS-1035/ },
    },
    {
      name: 'service name starting with a digit',
      given: { ...svc, name: '0web' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /DNS-1035/ },
    },
    {
      name: 'upper-case pod name',
      given: { ...pod, name: 'Web' },
      want: {
        code: 'K8S_CODEGEN_PROXY_NAME_INVALID',
        message: /pod name "Web".*DNS-1123 subdomain/,
      },
    },
    {
      name: 'node name that is neither a DNS-1123 subdomain nor an IPv4 address',
      given: { ...node, name: 'Node_1' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /node name "Node_1".*IPv4/ },
    },
    {
      name: 'name ..',
      given: { ...pod, name: '..' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /may not be '\.\.'/ },
    },
    {
      name: 'name with /',
      given: { ...node, name: 'a/b' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /may not contain '\/'/ },
    },
    {
      name: 'name with %',
      given: { ...svc, name: 'a%2e' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /may not contain '%'/ },
    },
    {
      name: 'IPv6 node name',
      given: { ...node, name: 'fe80::1' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /IPv6.*":" separates/ },
    },
    {
      name: 'empty name',
      given: { ...svc, name: '' },
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID', message: /service name is required/ },
    },
    {
      name: 'missing namespace for a service',
      given: { server: svc.server, kind: 'service', name: 'web' },
      want: { code: 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID', message: /required for kind "service"/ },
    },
    {
      name: 'missing namespace for a pod',
      given: { server: svc.server, kind: 'pod', name: 'web' },
      want: { code: 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID', message: /required for kind "pod"/ },
    },
    {
      name: 'namespace for a node',
      given: { ...node, namespace: 'default' },
      want: { code: 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID', message: /absent.*cluster-scoped/ },
    },
    {
      name: 'namespace that is not a DNS-1123 label',
      given: { ...svc, namespace: 'kube_system' },
      want: {
        code: 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID',
        message: /"kube_system".*DNS-1123 label/,
      },
    },
    {
      name: 'namespace ..',
      given: { ...svc, namespace: '..' },
      want: { code: 'K8S_CODEGEN_PROXY_NAMESPACE_INVALID', message: /may not be '\.\.'/ },
    },
    {
      name: 'port 0',
      given: { ...svc, port: 0 },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /"0".*1 to 65535/ },
    },
    {
      name: 'port 65536',
      given: { ...svc, port: 65536 },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /"65536".*1 to 65535/ },
    },
    {
      name: "port '65536'",
      given: { ...pod, port: '65536' },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /1 to 65535/ },
    },
    {
      name: 'fractional port',
      given: { ...pod, port: 80.5 },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /1 to 65535/ },
    },
    {
      name: 'empty port',
      given: { ...svc, port: '' },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /non-empty/ },
    },
    {
      name: 'named port for a pod',
      given: { ...pod, port: 'http' },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /numeric ports only.*named ports/ },
    },
    {
      name: 'named port for a node',
      given: { ...node, port: 'kubelet' },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /nodes take numeric ports only/ },
    },
    {
      name: 'service port name that is not a DNS-1123 label',
      given: { ...svc, port: 'HTTP' },
      want: { code: 'K8S_CODEGEN_PROXY_PORT_INVALID', message: /port name "HTTP".*DNS-1123 label/ },
    },
    {
      name: 'upper-case scheme',
      given: { ...svc, scheme: 'HTTPS' as 'https' },
      want: { code: 'K8S_CODEGEN_PROXY_SCHEME_INVALID', message: /"HTTPS".*case-sensitive/ },
    },
    {
      name: 'unknown kind',
      given: { ...svc, kind: 'deployment' as ProxyKind },
      want: { code: 'K8S_CODEGEN_PROXY_KIND_INVALID', message: /"deployment"/ },
    },
    {
      name: 'server without scheme',
      given: { ...svc, server: '10.0.0.1:6443' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /http:\/\/ or https:\/\// },
    },
    {
      name: 'ftp server',
      given: { ...svc, server: 'ftp://10.0.0.1' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /http:\/\/ or https:\/\// },
    },
    {
      name: 'server with user-info',
      given: { ...svc, server: 'https://admin:hunter2@10.0.0.1' },
      want: {
        code: 'K8S_CODEGEN_PROXY_SERVER_INVALID',
        message: /"https:\/\/\*\*\*@10.0.0.1".*user-info/,
      },
    },
    {
      name: 'server with a query',
      given: { ...svc, server: 'https://10.0.0.1/?x=1' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /query/ },
    },
    {
      name: 'server with a fragment',
      given: { ...svc, server: 'https://10.0.0.1#top' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /fragment/ },
    },
    {
      name: 'server with a backslash',
      given: { ...svc, server: 'https://10.0.0.1\\k8s' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /read as "\/"/ },
    },
    {
      name: 'server prefix with a dot segment',
      given: { ...svc, server: 'https://10.0.0.1/k8s/%2E%2E/x' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /dot segment/ },
    },
    {
      name: 'server prefix with an empty segment',
      given: { ...svc, server: 'https://10.0.0.1/k8s//x' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /empty segment/ },
    },
    {
      name: 'server prefix with a space',
      given: { ...svc, server: 'https://10.0.0.1/my cluster' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /percent-encoded/ },
    },
    {
      name: 'server port 0',
      given: { ...svc, server: 'https://10.0.0.1:0' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /port "0"/ },
    },
    {
      name: 'server with an unclosed IPv6 bracket',
      given: { ...svc, server: 'https://[::1:6443' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /IPv6/ },
    },
    {
      name: 'server host that only looks like IPv4',
      given: { ...svc, server: 'https://10.0.0.999' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /ends in a number/ },
    },
    {
      name: 'server with an empty host',
      given: { ...svc, server: 'https:///k8s' },
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /host/ },
    },
    {
      name: 'path and rawPath together',
      given: { ...svc, path: 'a', rawPath: 'b' },
      want: { code: 'K8S_CODEGEN_PROXY_PATH_INVALID', message: /not both/ },
    },
    {
      name: 'malformed rawPath encoding',
      given: { ...svc, rawPath: 'a/%zz' },
      want: { code: 'K8S_CODEGEN_PROXY_PATH_INVALID', message: /malformed percent-encoding/ },
    },
    {
      name: 'lone surrogate in a path',
      given: { ...svc, path: 'a/\ud800' },
      want: {
        code: 'K8S_CODEGEN_PROXY_PATH_INVALID',
        message: /lone UTF-16 surrogate \(\\ud800\)/,
      },
    },
    {
      name: 'dryRun in a string query',
      given: { ...svc, query: 'dryRun=All' },
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED', message: /"dryRun".*400/ },
    },
    {
      name: 'dryRun as a bare key after another parameter',
      given: { ...svc, query: 'a=1&dryRun' },
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED' },
    },
    {
      name: 'dryRun with an encoded key',
      given: { ...svc, query: 'dry%52un=All' },
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED' },
    },
    {
      name: 'dryRun in a record query',
      given: { ...svc, query: { dryRun: 'All' } },
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED' },
    },
    {
      name: 'dryRun in URLSearchParams',
      given: { ...svc, query: new URLSearchParams({ dryRun: 'All' }) },
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED' },
    },
    {
      name: '# in a string query',
      given: { ...svc, query: 'a=1#frag' },
      want: { code: 'K8S_CODEGEN_PROXY_QUERY_INVALID', message: /fragment.*%23/ },
    },
    {
      name: 'stray % in a string query',
      given: { ...svc, query: 'a=100%' },
      want: { code: 'K8S_CODEGEN_PROXY_QUERY_INVALID', message: /%25/ },
    },
    {
      name: 'non-string record value',
      given: { ...svc, query: { limit: 10 as unknown as string } },
      want: { code: 'K8S_CODEGEN_PROXY_QUERY_INVALID', message: /"limit"/ },
    },
  ]
  it.each(rows)('$name', ({ given, want }) => {
    expectError(() => buildProxyUrl(given), want)
  })

  it('lets dryRun through as a value, where the apiserver does not look', () => {
    expect(buildProxyUrl({ ...svc, query: { flag: 'dryRun' } })).toBe(
      `${SVC}/web/proxy/?flag=dryRun`,
    )
  })

  // Regression: a dryRun key hidden behind ";" is dropped by Go's ParseQuery, so it is not one.
  it('lets a ";"-joined dryRun through as Go ParseQuery drops that part', () => {
    expect(buildProxyUrl({ ...svc, query: 'x=1;dryRun=All' })).toBe(
      `${SVC}/web/proxy/?x=1;dryRun=All`,
    )
  })

  // A raw query '?dryRun=All' holds the key '?dryRun' for Go's ParseQuery, not 'dryRun'.
  it('lets a raw query starting with ?dryRun through, as its key is "?dryRun"', () => {
    expect(buildProxyUrl({ ...svc, query: '?dryRun=All' })).toBe(`${SVC}/web/proxy/??dryRun=All`)
  })
})

describe('parseProxyUrl', () => {
  const rows: { name: string; given: string; want: ProxyTarget }[] = [
    {
      name: 'service segment with literal colons',
      given: `${SVC}/https:web:8443/proxy/`,
      want: { ...svc, scheme: 'https', port: '8443' },
    },
    {
      name: 'service segment with %3A colons',
      given: `${SVC}/https%3Aweb%3A8443/proxy/`,
      want: { ...svc, scheme: 'https', port: '8443' },
    },
    {
      name: 'pod with port, path and query',
      given: `${POD}/web-0:8080/proxy/metrics/?x=1&y=a+b`,
      want: { ...pod, name: 'web-0', port: '8080', path: 'metrics/', query: 'x=1&y=a+b' },
    },
    {
      name: 'node on a prefixed server',
      given: 'https://rancher.example/k8s/clusters/c-1/api/v1/nodes/10.0.0.1:10250/proxy/stats',
      want: {
        server: 'https://rancher.example/k8s/clusters/c-1',
        kind: 'node',
        name: '10.0.0.1',
        port: '10250',
        path: 'stats',
      },
    },
    {
      name: 'IPv6 server',
      given: 'https://[::1]:6443/api/v1/nodes/n/proxy/',
      want: { server: 'https://[::1]:6443', kind: 'node', name: 'n' },
    },
    {
      name: '…/proxy without a slash',
      given: `${SVC}/web/proxy`,
      want: svc,
    },
    {
      name: 'encoded path is decoded, %2F included',
      given: `${SVC}/web/proxy/a%2Fb/%252e%252e/x%20y`,
      want: { ...svc, path: 'a/b/%2e%2e/x y' },
    },
    {
      name: 'a proxied path that is itself a proxy URL',
      given: `${SVC}/web/proxy/api/v1/nodes/n/proxy/`,
      want: { ...svc, path: 'api/v1/nodes/n/proxy/' },
    },
    {
      name: 'empty query is no query',
      given: `${SVC}/web/proxy/?`,
      want: svc,
    },
    {
      name: "a second ? belongs to the raw query, as in Go's RawQuery (regression: was dropped)",
      given: 'https://example.com/api/v1/namespaces/default/pods/web/proxy/a??x=1',
      want: {
        server: 'https://example.com',
        kind: 'pod',
        namespace: 'default',
        name: 'web',
        path: 'a',
        query: '?x=1',
      },
    },
    {
      name: 'the fuzz case: encoded dots, a tab and ?? before an emoji',
      given: `${SVC}/web/proxy/x%252E%252eproxy%09a%5B??%F0%9F%98%80`,
      want: { ...svc, path: 'x%2E%2eproxy\ta[', query: '?%F0%9F%98%80' },
    },
    {
      name: 'a raw query of ?& and ?',
      given: `${SVC}/web/proxy/??&`,
      want: { ...svc, query: '?&' },
    },
    {
      name: 'a lone second ?',
      given: `${SVC}/web/proxy/??`,
      want: { ...svc, query: '?' },
    },
  ]
  it.each(rows)('$name', ({ given, want }) => {
    expect(parseProxyUrl(given)).toStrictEqual(want)
  })

  const errors: { name: string; given: string; want: WantError }[] = [
    {
      name: 'not a proxy URL',
      given: 'https://10.0.0.1/api/v1/namespaces/default/services/web',
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /expected <server>\/api\/v1/ },
    },
    {
      name: 'relative URL',
      given: '/api/v1/nodes/n/proxy/',
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /absolute/ },
    },
    {
      name: 'dot segment a client would resolve first',
      given: `${SVC}/web/proxy/../../secrets`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /"\.\." segment/ },
    },
    {
      name: 'encoded dot segment a client would resolve first',
      given: `${SVC}/web/proxy/%2e%2E/secrets`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /"\.\." segment/ },
    },
    {
      name: 'fragment',
      given: `${SVC}/web/proxy/#x`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /fragment/ },
    },
    {
      name: 'whitespace',
      given: `${SVC}/web/proxy/a b`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /whitespace/ },
    },
    {
      name: 'malformed percent-encoding in the path',
      given: `${SVC}/web/proxy/%E0%A4%A`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /malformed.*proxied path/ },
    },
    {
      name: 'invalid segment',
      given: `${SVC}/a:b:c:d/proxy/`,
      want: { code: 'K8S_CODEGEN_PROXY_SEGMENT_INVALID' },
    },
    {
      name: 'service name breaking DNS-1035',
      given: `${SVC}/web-0.db/proxy/`,
      want: { code: 'K8S_CODEGEN_PROXY_NAME_INVALID' },
    },
    {
      name: 'dryRun in the query',
      given: `${SVC}/web/proxy/?dryRun=All`,
      want: { code: 'K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED' },
    },
    {
      name: 'a # after a ?? query',
      given: `${SVC}/web/proxy/??x=1#f`,
      want: { code: 'K8S_CODEGEN_PROXY_URL_INVALID', message: /fragment/ },
    },
    {
      name: 'server with user-info, not repeated in the error',
      given: 'https://admin:hunter2@10.0.0.1/api/v1/nodes/n/proxy/',
      want: { code: 'K8S_CODEGEN_PROXY_SERVER_INVALID', message: /^(?!.*hunter2).*user-info/ },
    },
  ]
  it.each(errors)('rejects $name', ({ given, want }) => {
    expectError(() => parseProxyUrl(given), want)
  })
})

describe('properties', () => {
  it(
    'parseProxyUrl(buildProxyUrl(t)) equals the normalized t',
    () => {
      fc.assert(
        fc.property(target, (t) => {
          const url = buildProxyUrl(t)
          const parsed = parseProxyUrl(url)
          expect(parsed).toStrictEqual(normalizeProxyTarget(t))
          expect(buildProxyUrl(parsed)).toBe(url)
          expect(new URL(url).href).toBe(url)
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'a raw query with a # at a separator boundary is refused by build and parse alike',
    () => {
      fc.assert(
        fc.property(target, fc.constantFrom('#', '?#', '#?', '?&#', 'x=1#', '??#a'), (t, query) => {
          expectError(() => buildProxyUrl({ ...t, query }), {
            code: 'K8S_CODEGEN_PROXY_QUERY_INVALID',
          })
          const url = `${buildProxyUrl({ ...t, query: '' })}?${query}`
          expectError(() => parseProxyUrl(url), { code: 'K8S_CODEGEN_PROXY_URL_INVALID' })
        }),
        { numRuns: 1_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'for any path or rawPath, new URL() of the built URL stays under …/proxy/',
    () => {
      fc.assert(
        fc.property(target, hostileText, fc.boolean(), (t, text, raw) => {
          const root = new URL(buildProxyUrl({ ...t, path: '', query: '' }))
          expect(root.pathname.endsWith('/proxy/')).toBe(true)
          const given: ProxyTarget = { ...t, query: '' }
          delete given.path
          if (raw) given.rawPath = text
          else given.path = text
          let built: string
          try {
            built = buildProxyUrl(given)
          } catch (error) {
            // The only allowed refusals: text with no UTF-8 form (a lone surrogate), and a
            // rawPath with malformed %-escapes. Either way no URL exists to escape with.
            const meaningless = raw || /\p{Cs}/u.test(text) // \p{Cs} in u-mode: lone surrogates only
            expect(meaningless && error instanceof ProxyUrlError && error.code).toBe(
              'K8S_CODEGEN_PROXY_PATH_INVALID',
            )
            return
          }
          const resolved = new URL(built)
          expect(resolved.origin).toBe(root.origin)
          expect(resolved.pathname.startsWith(root.pathname)).toBe(true)
          expect(resolved.search).toBe('')
          expect(resolved.hash).toBe('')
          // The apiserver decodes the path and path.Join-cleans it: no segment may be "..".
          const behind = decodeURIComponent(resolved.pathname.slice(root.pathname.length))
          expect(behind.split('/')).not.toContain('..')
        }),
        { numRuns: 10_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('buildProxyPath', () => {
  const rows: { name: string; given: ProxyPathTarget; want: string }[] = [
    {
      name: 'an empty path ends in /proxy/ (a bare /proxy is answered with a 301)',
      given: { kind: 'service', namespace: 'prod', name: 'web' },
      want: '/api/v1/namespaces/prod/services/web/proxy/',
    },
    {
      name: 'dot segments clamp at the proxy root',
      given: {
        kind: 'service',
        namespace: 'prod',
        name: 'web',
        path: '../../../secrets/db-password',
      },
      want: '/api/v1/namespaces/prod/services/web/proxy/secrets/db-password',
    },
    {
      name: 'a trailing slash is kept',
      given: { kind: 'pod', namespace: 'prod', name: 'web-0', port: 8080, path: 'metrics/' },
      want: '/api/v1/namespaces/prod/pods/web-0:8080/proxy/metrics/',
    },
    {
      name: 'scheme with an empty port, node scope, query',
      given: { kind: 'node', name: 'node-1', scheme: 'https', path: 'stats', query: { a: 'b c' } },
      want: '/api/v1/nodes/https:node-1:/proxy/stats?a=b+c',
    },
  ]
  it.each(rows)('$name', ({ given, want }) => {
    expect(buildProxyPath(given)).toBe(want)
  })

  it('refuses what buildProxyUrl refuses, with the same code', () => {
    expectError(
      () => buildProxyPath({ kind: 'pod', namespace: 'prod', name: 'web-0', port: 'http' }),
      {
        code: 'K8S_CODEGEN_PROXY_PORT_INVALID',
      },
    )
  })

  it(
    'buildProxyUrl is the normalized server followed by buildProxyPath',
    () => {
      fc.assert(
        fc.property(target, (t) => {
          const { server, ...rest } = t
          const url = buildProxyUrl(t)
          expect(url.endsWith(buildProxyPath(rest))).toBe(true)
          expect(
            new URL(url).pathname.startsWith(new URL(server).pathname.replace(/\/$/, '')),
          ).toBe(true)
        }),
        { numRuns: 2_000 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

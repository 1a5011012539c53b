// The proxy-url fuzz corpus: fast-check arbitraries of proxy targets and of hostile path text.
// Shared by this package's properties and by every other implementation that must agree with
// buildProxyUrl (the runtime's descriptors' proxyPath()).
import fc from 'fast-check'

import type { ProxyKind, ProxyTarget } from '../src/index.js'

const servers = [
  'https://10.0.0.1',
  'https://[::1]:6443',
  'https://[2001:db8::7]',
  'https://rancher.example/k8s/clusters/c-1',
  'http://127.0.0.1:8001/',
  'https://api.example.com:6443/a%20b/c@d/',
]
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/)
const dns1035 = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/)
const subdomain = fc
  .array(dnsLabel, { minLength: 1, maxLength: 3 })
  .map((labels) => labels.join('.'))
// Path material: dot segments in every spelling, separators, escapes, and arbitrary text.
const pathText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '.',
        '..',
        '/',
        '//',
        '\\',
        '%',
        '%2e',
        '%2E%2e',
        '.%2e',
        '%2f',
        '%5c',
        '%25',
        '?',
        '#',
        ' ',
        '\t',
        '\n',
        '\u0000',
        '\u007f',
        'é',
        '😀',
        'api',
        'v1',
        'secrets',
        ':',
        '@',
      ),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''))
/** Path text with lone UTF-16 surrogates and arbitrary code units mixed in. */
export const hostileText = fc
  .array(
    fc.oneof(
      pathText,
      fc.constantFrom('\ud800', '\udfff', '\ud83d'),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(''))
const query = fc.option(
  fc.oneof(
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== 'dryRun'),
      fc.string({ maxLength: 6 }),
      { maxKeys: 3 },
    ),
    fc.constantFrom('a=1', 'watch=true&limit=5', 'q=%C3%BC+x', 'x'),
    // Raw queries whose first characters are themselves separators: Go keeps them in RawQuery.
    fc
      .tuple(
        fc.constantFrom('?', '??', '?&', '&', '&?', '=', '?='),
        fc.constantFrom('', 'x=1', 'a&b', '%3F'),
      )
      .map(([boundary, rest]) => boundary + rest),
  ),
  { nil: undefined },
)
/** A valid proxy target of any kind, server, scheme, port, path and query. */
export const target: fc.Arbitrary<ProxyTarget> = fc
  .record({
    server: fc.constantFrom(...servers),
    kind: fc.constantFrom<ProxyKind>('service', 'pod', 'node'),
    namespace: dnsLabel,
    service: dns1035,
    other: subdomain,
    scheme: fc.option(fc.constantFrom('http' as const, 'https' as const), { nil: undefined }),
    port: fc.option(fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constant('metrics')), {
      nil: undefined,
    }),
    path: fc.option(pathText, { nil: undefined }),
    query,
  })
  .map((r) => {
    const t: ProxyTarget = {
      server: r.server,
      kind: r.kind,
      name: r.kind === 'service' ? r.service : r.other,
    }
    if (r.kind !== 'node') t.namespace = r.namespace
    if (r.scheme !== undefined) t.scheme = r.scheme
    if (r.port !== undefined && (r.kind === 'service' || typeof r.port === 'number')) {
      t.port = r.port
    }
    if (r.path !== undefined) t.path = r.path
    if (r.query !== undefined) t.query = r.query
    return t
  })

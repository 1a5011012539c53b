// A tour of @k8s-codegen/proxy-url: builds and parses apiserver proxy URLs and shows that no
// proxied path, however hostile, leaves `…/proxy/`. Run `npm run demo` at the repository root
// (it builds the package first), or `node packages/proxy-url/examples/demo.js` after a build.
import {
  buildProxyUrl,
  lintProxySegment,
  parseProxySegment,
  parseProxyUrl,
  ProxyUrlError,
} from '../dist/index.js'

const service = {
  server: 'https://rancher.example/k8s/clusters/c-1/',
  kind: 'service',
  namespace: 'monitoring',
  name: 'grafana',
  scheme: 'https',
  port: 3000,
}

console.log('Built URLs')
const built = [
  { ...service, path: 'api/health', query: { verbose: 'true' } },
  {
    server: 'https://[::1]:6443',
    kind: 'pod',
    namespace: 'default',
    name: 'web-0',
    port: 8080,
    path: 'metrics',
  },
  { server: 'https://10.0.0.1:6443', kind: 'node', name: '10.0.0.7', port: 10250, path: 'stats/' },
]
for (const target of built) console.log(`  ${buildProxyUrl(target)}`)

console.log('\nParsed URLs')
const urls = [
  'https://10.0.0.1:6443/api/v1/namespaces/default/services/https%3Aweb%3A8443/proxy/a/b/?x=1',
  'https://rancher.example/k8s/clusters/c-1/api/v1/nodes/node-1:10250/proxy/stats',
]
for (const url of urls) console.log(`  ${url}\n    → ${JSON.stringify(parseProxyUrl(url))}`)

console.log('\nSegments, split as the apiserver splits them')
for (const segment of ['https:web:8443', 'https:web:', 'web:', 'https:web']) {
  const warning = lintProxySegment(segment)
  console.log(
    `  ${segment.padEnd(15)} → ${JSON.stringify(parseProxySegment(segment))}${warning ? `\n    warning: ${warning}` : ''}`,
  )
}

console.log('\nTraversal clamps at the proxy root (checked with new URL())')
const attacks = [
  { path: '../../../api/v1/secrets' },
  { path: 'a/./b/../c/' },
  { path: '%2e%2e/%2e%2e/api/v1/secrets' },
  { rawPath: '%2e%2e/%2e%2e/api/v1/secrets' },
  { path: '..\\..\\api\\v1\\secrets?watch=1#x' },
]
const root = new URL(buildProxyUrl(service)).pathname
for (const attack of attacks) {
  const url = buildProxyUrl({ ...service, ...attack })
  const contained = new URL(url).pathname.startsWith(root)
  console.log(`  ${JSON.stringify(attack)}\n    → ${url}  [${contained ? 'contained' : 'ESCAPED'}]`)
}

console.log('\nBad input gets an error naming the part and the rule')
const mistakes = [
  { ...service, name: 'web-0.db' },
  { ...service, kind: 'pod', port: 'http' },
  { ...service, query: { dryRun: 'All' } },
  { ...service, server: 'https://admin:s3cret@10.0.0.1' },
]
for (const mistake of mistakes) {
  try {
    buildProxyUrl(mistake)
  } catch (error) {
    if (!(error instanceof ProxyUrlError)) throw error
    console.log(`  ${error.code}\n    ${error.message}`)
  }
}

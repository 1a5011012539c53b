// Benchmark of @k8s-codegen/proxy-url (not a test: timings are printed, never asserted).
// Run: `npm run bench -w @k8s-codegen/proxy-url` (builds the package, then runs this file).
// Each task call runs a batch of operations over varied inputs so the timer's own cost (tens of
// nanoseconds) does not swamp sub-microsecond work; ops/s are per operation. The baseline builds
// the very same URL with `new URL()` + `searchParams` in the same run, and the ratios compare
// against it. Targets on a 2-core machine: parseProxySegment ≥ 10 M ops/s, buildProxyUrl ≥ 3×
// the baseline.
import { Bench } from 'tinybench'
import {
  buildProxyUrl,
  formatProxySegment,
  parseProxySegment,
  parseProxyUrl,
} from '../../packages/proxy-url/dist/index.js'

const BATCH = 256

const segments = ['https:web:8443', 'web', 'web:metrics', 'http:api-gateway:', '10.0.0.7:10250']
const parsedSegments = segments.map((segment) => parseProxySegment(segment))

/** Typical proxy calls: a prefixed Rancher server, an IPv6 server, a plain one. */
const targets = [
  {
    server: 'https://rancher.example/k8s/clusters/c-1',
    kind: 'service',
    namespace: 'monitoring',
    name: 'grafana',
    scheme: 'https',
    port: '3000',
    path: 'api/health',
    query: { verbose: 'true' },
  },
  {
    server: 'https://[::1]:6443',
    kind: 'pod',
    namespace: 'default',
    name: 'web-0',
    port: '8080',
    path: 'metrics/cadvisor',
    query: { format: 'text' },
  },
  {
    server: 'https://10.0.0.1:6443',
    kind: 'node',
    name: 'node-1',
    port: '10250',
    path: 'stats/summary',
    query: { only_cpu_and_memory: 'true' },
  },
]

/** The naive way: let the WHATWG parser assemble the same URL. */
function buildWithUrl(target) {
  const segment = formatProxySegment(target)
  const scope = target.namespace === undefined ? '' : `namespaces/${target.namespace}/`
  const url = new URL(target.server)
  const prefix = url.pathname === '/' ? '' : url.pathname
  url.pathname = `${prefix}/api/v1/${scope}${target.kind}s/${segment}/proxy/${target.path}`
  for (const [key, value] of Object.entries(target.query)) url.searchParams.set(key, value)
  return url.href
}

const urls = targets.map((target) => buildProxyUrl(target))
for (const [index, target] of targets.entries()) {
  if (buildWithUrl(target) !== urls[index]) {
    throw new Error(`baseline and buildProxyUrl disagree:\n${buildWithUrl(target)}\n${urls[index]}`)
  }
}

let sink
const batch = (inputs, operation) => () => {
  for (let index = 0; index < BATCH; index++) sink = operation(inputs[index % inputs.length])
}

const bench = new Bench({ name: 'proxy-url', time: 1500, warmupTime: 300 })
bench
  .add('parseProxySegment', batch(segments, parseProxySegment))
  .add('formatProxySegment', batch(parsedSegments, formatProxySegment))
  .add('buildProxyUrl', batch(targets, buildProxyUrl))
  .add('parseProxyUrl', batch(urls, parseProxyUrl))
  .add('baseline: new URL() + searchParams', batch(targets, buildWithUrl))

await bench.run()
if (sink === undefined) throw new Error('benchmark produced nothing')

const opsPerSecond = new Map()
for (const task of bench.tasks) {
  if (task.result.state !== 'completed') {
    throw new Error(`task ${task.name} did not complete: ${task.result.state}`)
  }
  opsPerSecond.set(task.name, (BATCH * 1000) / task.result.period)
}
const baseline = opsPerSecond.get('baseline: new URL() + searchParams')
const format = (value) => `${(value / 1e6).toFixed(2).padStart(7)} M ops/s`

console.log(`@k8s-codegen/proxy-url — ${process.version}, batches of ${BATCH} ops\n`)
for (const [name, value] of opsPerSecond) {
  console.log(`${name.padEnd(36)} ${format(value)}  ${(value / baseline).toFixed(2)}× baseline`)
}
const segmentRate = opsPerSecond.get('parseProxySegment')
const buildRatio = opsPerSecond.get('buildProxyUrl') / baseline
console.log(
  `\ntargets: parseProxySegment ≥ 10 M ops/s: ${(segmentRate / 1e6).toFixed(2)} M (${segmentRate >= 10e6 ? 'met' : 'NOT met'}); ` +
    `buildProxyUrl ≥ 3× baseline: ${buildRatio.toFixed(2)}× (${buildRatio >= 3 ? 'met' : 'NOT met'})`,
)

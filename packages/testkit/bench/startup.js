// Startup cost of the emulator: time from startApiServer() to a served /openapi/v3 root (every
// hash computed), per profile, as a ratio to the built-in 1.13 profile measured in the same run.
// Run with `npm run bench -w @k8s-codegen/testkit` after building. Timings are printed, never
// asserted.
import { request } from 'node:https'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { recordedProfileDir, startApiServer } from '../dist/index.js'

const runs = 5

function getRoot(server) {
  const path = server.hashOf('api/v1') === undefined ? '/version' : '/openapi/v3'
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: server.caPem, headers: { authorization: `Bearer ${server.token}` }, agent: false },
      (res) => {
        res.resume()
        res.on('end', resolve)
      },
    )
    req.on('error', reject)
    req.end()
  })
}

// The first start of a process also splits the recorded v2 1.36 document (once per process):
// reported apart from the median of the later ones.
async function measure(options) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    const server = await startApiServer(options)
    await getRoot(server)
    times.push(performance.now() - start)
    await server.close()
  }
  const first = times[0]
  times.sort((a, b) => a - b)
  return { first, median: times[Math.floor(times.length / 2)] }
}

const cases = [['kubernetes-1.13 (baseline)', { profile: 'kubernetes-1.13' }]]
if (recordedProfileDir() === undefined) {
  process.stderr.write('recorded profile skipped: ../shared/fixtures/kubernetes is absent\n')
} else {
  cases.push(['recorded, v3 documents only', { profile: 'recorded', recordedGroupVersions: [] }])
  cases.push(['recorded (with every 1.36 group-version)', { profile: 'recorded' }])
  cases.push([
    'recorded + example CRDs + 56 synthesized GVs',
    { profile: 'recorded', exampleCrds: true, synthesizeGroupVersions: 56 },
  ])
}

let baseline
for (const [name, options] of cases) {
  const { first, median } = await measure(options)
  baseline ??= median
  process.stdout.write(
    `${name}: median ${median.toFixed(0)} ms to first root response (${(median / baseline).toFixed(2)}× baseline), first start ${first.toFixed(0)} ms\n`,
  )
}

// Benchmark of `k8s-codegen fetch` (not a test: timings are printed, never asserted).
// Run: `npm run bench:fetch` (builds everything, then runs this file).
//
// One emulated apiserver (TLS, bearer token) serves the recorded profile plus synthesized
// group-versions (≥ 60 in all). In the same run it measures, each as wall time of a fresh process:
//   cold   `k8s-codegen fetch` with an empty cache (root, every document, discovery, /version)
//   curl   `curl --parallel` of exactly the URLs the cold fetch requested (the practical limit;
//          token and CA come from a -K config file, never the command line)
//   warm   `k8s-codegen fetch` again: node start included, and the requests it made
//   kubectl  a sequential `kubectl get --raw` loop over the group-version documents
// and, for context, the floor every node CLI pays: `node -e 0` and `k8s-codegen --version`.
// Fetch runs with --no-generate when the CLI has it (fetch ends by generating since codegen
// landed); the warm run is also measured with generation, as a user runs it.
// Targets: cold ≤ 1.5× curl --parallel; warm ≤ 0.35 s wall and exactly 1 request.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startApiServer } from '../../packages/testkit/dist/index.js'

const TOTAL_GROUP_VERSIONS = 64
const COLD_RUNS = 3
const WARM_RUNS = 7
const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url))

/** Runs a command asynchronously (the emulator lives in this process) and returns its wall ms. */
function timed(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - started
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`))
      else resolve({ ms, stdout })
    })
  })
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`

const dir = await mkdtemp(join(tmpdir(), 'bench-fetch-'))
const probe = await startApiServer({ profile: 'recorded' })
const recordedCount = (await countGroupVersions(probe)) ?? 0
await probe.close()
const server = await startApiServer({
  profile: 'recorded',
  synthesizeGroupVersions: Math.max(0, TOTAL_GROUP_VERSIONS - recordedCount),
})

async function countGroupVersions(s) {
  const kc = await s.kubeconfig(join(dir, 'probe-kubeconfig'))
  const { stdout } = await timed('kubectl', ['--kubeconfig', kc, 'get', '--raw', '/openapi/v3'])
  return Object.keys(JSON.parse(stdout).paths).filter((k) =>
    /^(api\/[^/]+|apis\/[^/]+\/[^/]+)$/.test(k),
  ).length
}

try {
  const kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
  const help = await timed(process.execPath, [bin, 'fetch', '--help'])
  const canSkipGeneration = help.stdout.includes('--generate')
  const fetchArgs = (cache, generate = false) => [
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    cache,
    '--lockfile',
    join(dir, `${cache.split('/').pop()}.lock.json`),
    '--out',
    join(dir, 'generated'),
    '--json',
    ...(canSkipGeneration && !generate ? ['--no-generate'] : []),
  ]

  const cold = []
  let urls = []
  let summary
  for (let i = 0; i < COLD_RUNS; i++) {
    server.clearRequests()
    const run = await timed(process.execPath, [bin, ...fetchArgs(join(dir, `cold-${i}`))])
    cold.push(run.ms)
    summary = JSON.parse(run.stdout)
    urls = server.requests.map((r) => `${new URL(server.url).origin}${r.path}${r.query}`)
  }

  // curl: same URLs, in parallel, credentials from a config file.
  await writeFile(join(dir, 'ca.pem'), server.caPem)
  const config = [
    `cacert = "${join(dir, 'ca.pem')}"`,
    `header = "Authorization: Bearer ${server.token}"`,
    'header = "Accept: application/json"',
    // The same Accept-Encoding the CLI sends (Go's transport default, see cluster's transport),
    // so both are served the same bytes; `compressed` makes curl decode a gzipped body as well.
    'header = "Accept-Encoding: gzip"',
    'compressed',
    'silent',
    ...urls.flatMap((u) => [`url = "${u}"`, 'output = "/dev/null"']),
  ].join('\n')
  await writeFile(join(dir, 'curl.config'), config, { mode: 0o600 })
  const curl = []
  for (let i = 0; i < COLD_RUNS; i++) {
    curl.push(
      (await timed('curl', ['--parallel', '--parallel-max', '50', '-K', join(dir, 'curl.config')]))
        .ms,
    )
  }

  const warm = []
  let warmRequests = 0
  for (let i = 0; i < WARM_RUNS; i++) {
    server.clearRequests()
    warm.push((await timed(process.execPath, [bin, ...fetchArgs(join(dir, 'cold-0'))])).ms)
    warmRequests = server.requests.length
  }

  const warmGenerate = []
  if (canSkipGeneration) {
    await timed(process.execPath, [bin, ...fetchArgs(join(dir, 'cold-0'), true)])
    for (let i = 0; i < WARM_RUNS; i++) {
      warmGenerate.push(
        (await timed(process.execPath, [bin, ...fetchArgs(join(dir, 'cold-0'), true)])).ms,
      )
    }
  }

  const nodeFloor = []
  const versionFloor = []
  for (let i = 0; i < WARM_RUNS; i++) {
    nodeFloor.push((await timed(process.execPath, ['-e', '0'])).ms)
    versionFloor.push((await timed(process.execPath, [bin, '--version'])).ms)
  }

  const documentPaths =
    server.requests.length === 0
      ? []
      : urls.map((u) => new URL(u)).filter((u) => /^\/openapi\/v3\/.+/.test(u.pathname))
  const kubectlStarted = performance.now()
  for (const u of documentPaths) {
    await timed('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', `${u.pathname}${u.search}`])
  }
  const kubectlMs = performance.now() - kubectlStarted

  const coldMs = median(cold)
  const curlMs = median(curl)
  const warmMs = median(warm)
  console.log(
    `k8s-codegen fetch benchmark: ${summary.fetched} group-versions, ${(summary.bytes / 1e6).toFixed(1)} MB, ${urls.length} requests per cold run`,
  )
  console.log(`  cold fetch (median of ${COLD_RUNS})        ${fmt(coldMs)}`)
  console.log(`  curl --parallel, same URLs (median)  ${fmt(curlMs)}`)
  console.log(
    `  warm fetch (median of ${WARM_RUNS}, node start incl.) ${fmt(warmMs)}, ${warmRequests} request(s)`,
  )
  if (canSkipGeneration) {
    console.log(`  warm fetch + generation (unchanged output, median) ${fmt(median(warmGenerate))}`)
  }
  console.log(
    `  floor: node -e 0 ${fmt(median(nodeFloor))}, k8s-codegen --version ${fmt(median(versionFloor))}`,
  )
  console.log(`  kubectl get --raw loop (${documentPaths.length} documents) ${fmt(kubectlMs)}`)
  console.log(
    `ratios: cold/curl = ${(coldMs / curlMs).toFixed(2)} (target ≤ 1.5); cold minus the --version floor / curl = ${((coldMs - median(versionFloor)) / curlMs).toFixed(2)}; warm = ${fmt(warmMs)} (target ≤ 0.350 s), requests = ${warmRequests} (target 1); kubectl loop/cold = ${(kubectlMs / coldMs).toFixed(1)}`,
  )
} finally {
  await server.close()
  await rm(dir, { recursive: true, force: true })
}

// The watch's decoding alone, against @kubernetes/client-node (not a test: figures are printed,
// never asserted). Run after `npm run build`: `node scripts/bench/client-watch-decode.js`.
//
// bench:client's replay rows time a child process end to end against the emulator, in wall
// time, so on a loaded machine they measure the load. Here one in-process server sends 10,000
// watch events of distinct ConfigMaps as fast as the client reads them, and each run is charged
// the CPU time of this process (the server's writes are the same for every client), with the
// clients interleaved round by round: events per CPU-second, medians, and the ratio to
// client-node. Rows: ours as a user runs it (keeping each object's last state for a relist), ours
// with `relist: false` (no per-object state, as client-node's Watch), client-node's Watch.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import { open as openOurs } from './_client-ours.js'
import { open as openNode } from './_client-node.js'

const EVENTS = 10_000
const ROUNDS = process.argv.includes('--quick') ? 5 : 9

const lines = []
for (let i = 0; i < EVENTS; i++) {
  const name = `cm-${String(i).padStart(5, '0')}`
  const object = {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: {
      name,
      namespace: 'bench',
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1_000 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'bench', shard: String(i % 10) },
      managedFields: [
        {
          manager: 'bench',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-01-01T00:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': { '.': {}, 'f:index': {}, 'f:payload': {} } },
        },
      ],
    },
    data: { index: String(i), payload: 'x'.repeat(64) },
  }
  lines.push(JSON.stringify({ type: 'ADDED', object }))
}
const body = Buffer.from(`${lines.join('\n')}\n`)

// Watches get the events and stay open; anything else an empty list.
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  if (!/[?&]watch=(1|true)(&|$)/.test(req.url ?? '')) {
    res.end('{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"1"}}')
    return
  }
  for (let offset = 0; offset < body.length; offset += 65_536)
    res.write(body.subarray(offset, offset + 65_536))
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))

const dir = await mkdtemp(join(tmpdir(), 'bench-watch-decode-'))
const kubeconfig = join(dir, 'kubeconfig')
// client-node refuses plain http unless TLS verification is off; there is no TLS to verify.
await writeFile(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${server.address().port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: bench-token}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
)
// The ConfigMap descriptor, as `k8s-codegen fetch --emit js` writes it.
const generated = join(dir, 'k8s')
await mkdir(join(generated, 'core'), { recursive: true })
const runtime = pathToFileURL(
  join(import.meta.dirname, '..', '..', 'packages', 'runtime', 'dist', 'index.js'),
).href
await writeFile(
  join(generated, 'core', 'v1.js'),
  `import { defineResource } from '${runtime}'
export const ConfigMap = defineResource()({ apiVersion: 'v1', group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, verbs: ['get', 'list', 'watch'] })
`,
)

const clients = {
  ours: { open: openOurs, options: {} },
  'ours, relist: false': { open: openOurs, options: { relist: false } },
  'client-node': { open: openNode, options: {} },
}

// Events per CPU-second of one watch of every event.
async function run({ open, options }) {
  const client = await open({ kubeconfig, generated })
  const started = process.cpuUsage()
  let count = 0
  await new Promise((resolve, reject) => {
    const stop = client.watch(
      'bench',
      '1',
      () => {
        if (++count < EVENTS) return
        stop()
        resolve()
      },
      reject,
      options,
    )
  })
  const cpu = process.cpuUsage(started)
  await client.close()
  return EVENTS / ((cpu.user + cpu.system) / 1e6)
}

const rates = Object.fromEntries(Object.keys(clients).map((name) => [name, []]))
try {
  for (let round = 0; round < ROUNDS; round++)
    for (const [name, client] of Object.entries(clients)) rates[name].push(await run(client))
} finally {
  server.closeAllConnections()
  server.close()
  await rm(dir, { recursive: true, force: true })
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const baseline = median(rates['client-node'])
console.log(
  `watch decoding: ${EVENTS.toLocaleString('en')} distinct ConfigMaps per watch, ${ROUNDS} interleaved rounds, events per CPU-second (median)`,
)
for (const [name, values] of Object.entries(rates)) {
  const rate = median(values)
  console.log(
    `  ${name.padEnd(22)} ${Math.round(rate).toLocaleString('en').padStart(9)}  ${(rate / baseline).toFixed(2)}× client-node`,
  )
}

// The watch's decoding alone, against @kubernetes/client-node (not a test: figures are printed,
// never asserted). Run after `npm run build`: `node scripts/bench/client-watch-decode.js`
// (`--quick`: 5 rounds instead of 9; `--only ours,client-node`: only those rows, e.g. under
// `node --cpu-prof`).
//
// bench:client's replay rows time a child process end to end against the emulator, in wall
// time, so on a loaded machine they measure the load. Here a server in a child process (this
// file with `--serve`) sends 10,000 watch events of distinct ConfigMaps as fast as the client
// reads them, and each run is charged the CPU time of this process alone — the client's: the
// transport, the decoding and the consumer — with the clients interleaved round by round:
// events per CPU-second, median and spread, and the ratio to client-node (of the medians, and
// the median of each round's ratio, whose rows ran under the same load). Both clients read the
// same bytes over the same transport (undici, HTTP/1.1 on 127.0.0.1), and the consumer reads
// every event's object (its resourceVersion, checked against the one sent), so a client that
// decoded lazily would pay here too. Rows: ours as a user runs it (keeping each object's last
// state for a relist), ours with `relist: false` (no per-object state, as client-node's Watch),
// client-node's Watch.
import { fork } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const EVENTS = 10_000
const FIRST_RESOURCE_VERSION = 1_000

if (process.argv.includes('--serve')) await serve()
else await bench()

// The server side, in its own process: the events, written as fast as the client reads them.
async function serve() {
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
        resourceVersion: String(FIRST_RESOURCE_VERSION + i),
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
  // The bench ends (or dies): so does the server.
  process.once('disconnect', () => {
    server.closeAllConnections()
    server.close()
  })
  process.send(server.address().port)
}

async function bench() {
  const { open: openOurs } = await import('./_client-ours.js')
  const { open: openNode } = await import('./_client-node.js')
  const rounds = process.argv.includes('--quick') ? 5 : 9
  const onlyAt = process.argv.indexOf('--only')
  const only = onlyAt === -1 ? undefined : (process.argv[onlyAt + 1] ?? '').split(',')

  const rows = [
    { id: 'ours', label: 'ours', open: openOurs, options: {} },
    {
      id: 'ours-no-relist',
      label: 'ours, relist: false',
      open: openOurs,
      options: { relist: false },
    },
    { id: 'client-node', label: 'client-node', open: openNode, options: {} },
  ].filter((row) => only === undefined || only.includes(row.id))
  if (rows.length === 0)
    throw new Error('--only takes row ids separated by commas: ours, ours-no-relist, client-node')

  const server = fork(import.meta.filename, ['--serve'], { stdio: 'inherit' })
  const port = await new Promise((resolve, reject) => {
    server.once('message', resolve)
    server.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)))
  })

  const dir = await mkdtemp(join(tmpdir(), 'bench-watch-decode-'))
  const kubeconfig = join(dir, 'kubeconfig')
  // client-node refuses plain http unless TLS verification is off; there is no TLS to verify.
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
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

  // Events per CPU-second of one watch of every event, each event's object read and checked.
  async function run({ open, options }) {
    const client = await open({ kubeconfig, generated })
    const started = process.cpuUsage()
    let count = 0
    await new Promise((resolve, reject) => {
      const stop = client.watch(
        'bench',
        '1',
        (type, object) => {
          const want = String(FIRST_RESOURCE_VERSION + count)
          if (type !== 'ADDED' || object.metadata.resourceVersion !== want) {
            stop()
            reject(
              new Error(
                `event ${count}: ${type} ${object.metadata.resourceVersion}, want ADDED ${want}`,
              ),
            )
            return
          }
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

  const loadBefore = loadavg()
  const rates = new Map(rows.map((row) => [row, []]))
  try {
    for (let round = 0; round < rounds; round++)
      for (const row of rows) rates.get(row).push(await run(row))
  } finally {
    server.disconnect()
    await rm(dir, { recursive: true, force: true })
  }
  const loadAfter = loadavg()

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const nodeRow = rows.find((row) => row.id === 'client-node')
  const baseline = nodeRow === undefined ? undefined : median(rates.get(nodeRow))
  const int = (n) => Math.round(n).toLocaleString('en')
  const load = (l) => l.map((n) => n.toFixed(2)).join(' ')
  console.log(
    `watch decoding: ${int(EVENTS)} distinct ConfigMaps per watch, ${rounds} interleaved rounds, events per CPU-second of the client: median (min–max); load average ${load(loadBefore)} before / ${load(loadAfter)} after`,
  )
  // Each round's ratio too: the rows of a round ran under the same load.
  const perRound = (values) => {
    if (nodeRow === undefined) return ''
    const ratios = values.map((value, round) => value / rates.get(nodeRow)[round])
    return `; per round ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
  }
  for (const [row, values] of rates) {
    const rate = median(values)
    const spread = `${int(Math.min(...values))}–${int(Math.max(...values))}`
    const ratio =
      baseline === undefined
        ? ''
        : `  ${(rate / baseline).toFixed(2)}× client-node${perRound(values)}`
    console.log(`  ${row.label.padEnd(22)} ${int(rate).padStart(9)}  (${spread})${ratio}`)
  }
}

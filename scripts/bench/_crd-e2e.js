// The end-to-end part of bench:codegen: the built CLI as a user runs it on CRD files and against
// the emulator serving them, at each CRD count asked for (`--crds 1000,2000`; default 100, so a
// default run stays short on a shared machine). Every figure is a fresh process's wall time and
// peak RSS; ratios are against baselines measured in the same run (`node -e 0`, the modules path
// of a consumer's `tsc`). Timings are printed, never asserted.
//
//   generate --crds, cold      s per group-version (target ≤ 0.05 s) and peak RSS (≤ 512 MB at 2,000)
//   generate --crds, no-op     wall (target ≤ 1 s at 2,000 CRDs)
//   one CRD edited             files rewritten vs the files of its group-version
//   emulator start             until it serves the CRDs (target ≤ 5 s at 1,000)
//   fetch, cold and warm       warm vs `node -e 0` (target ≤ 2×)
//   consumer tsc               two kinds through index.ts vs through their modules (≤ 1.5×)
//   YAML parsers               yaml vs js-yaml vs JSON.parse on the CRD corpus and the synthesized files
//   peers                      cdk8s import and crd-generate vs generate --crds on the real CRD corpus,
//                              installed from npm into node_modules/.cache/k8s-codegen-bench-peers
//                              (skipped, saying why, when npm cannot install them)
//
// `--rows cold` (bench:codegen) runs only the first row at each count, for short runs while
// working on the cold path. Each CLI figure also says the child's CPU time and the load average
// then: on a shared machine, wall time moves with the load, CPU time much less.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { availableParallelism, loadavg } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'

import { crdManifests } from './_crd-profile.js'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`
// Each CLI child reports its own peak RSS (kB) on stderr as it exits: VmHWM on Linux, since
// getrusage's maxRSS keeps the high-water mark of the process it was forked from (this bench,
// holding the emulator), so every child would report at least the bench's RSS. And its CPU time
// (user + system, µs).
const RSS_HOOK =
  "data:text/javascript,import{readFileSync}from'node:fs';process.on('exit',()=>{let kb=process.resourceUsage().maxRSS;try{kb=Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])}catch{}const u=process.cpuUsage();process.stderr.write('maxrss:'+kb+'\\ncpu:'+(u.user+u.system)+'\\n')})"

/** Runs the built CLI, or a peer's Node bin (asynchronously: the emulator may live in this process). */
async function cli(bin, args, env, { cwd } = {}) {
  const started = performance.now()
  const { stdout, stderr } = await run(process.execPath, ['--import', RSS_HOOK, bin, ...args], {
    env,
    cwd,
    maxBuffer: 64 << 20,
  })
  const ms = performance.now() - started
  const rss = Number(/maxrss:(\d+)/.exec(stderr)?.[1] ?? 0)
  const cpuMs = Number(/cpu:(\d+)/.exec(stderr)?.[1] ?? 0) / 1000
  return { ms, rss, cpuMs, json: args.includes('--json') ? JSON.parse(stdout) : undefined }
}

async function writeCrdFiles(dir, count) {
  const { dump } = await import('js-yaml')
  await mkdir(dir, { recursive: true })
  const groupVersions = Math.max(1, Math.round(count * 0.433))
  let bytes = 0
  const files = []
  for (const manifest of crdManifests({ crds: count, groupVersions })) {
    const text = dump(manifest, { noRefs: true, lineWidth: -1 })
    const file = join(dir, `${manifest.metadata.name}.yaml`)
    await writeFile(file, text)
    files.push(file)
    bytes += text.length
  }
  return { files, bytes }
}

function yamlParsers(files) {
  const yaml = require('yaml')
  const jsYaml = require('js-yaml')
  const texts = files.map((f) => readFileSync(f, 'utf8'))
  const json = texts.map((t) => JSON.stringify(jsYaml.loadAll(t)))
  const time = (fn) => {
    const started = performance.now()
    fn()
    return performance.now() - started
  }
  const tYaml = time(() => texts.forEach((t) => yaml.parseAllDocuments(t).map((d) => d.toJS())))
  const tJsYaml = time(() =>
    texts.forEach((t) => jsYaml.loadAll(t, undefined, { schema: jsYaml.CORE_SCHEMA })),
  )
  const tJson = time(() => json.forEach((t) => JSON.parse(t)))
  const size = texts.reduce((n, t) => n + t.length, 0)
  return `${texts.length} files, ${(size / 1e6).toFixed(1)} MB: yaml ${fmt(tYaml)} · js-yaml ${fmt(tJsYaml)} (${(tYaml / tJsYaml).toFixed(1)}× faster) · JSON.parse of the same data ${fmt(tJson)}`
}

/**
 * Times `tsc --noEmit` of each consumer source (name → TypeScript), each in its own project
 * `<dir>/<name>`, round-robin so a load change on a shared machine hits every contender alike;
 * returns the median ms per name. A type error fails the run.
 *
 * @example
 * const times = await timeConsumers({ dir: work, consumers: { ours: src }, runs: 3 })
 */
export async function timeConsumers({ dir: parent, consumers, runs }) {
  const tsc = require.resolve('typescript/bin/tsc')
  const dirs = {}
  for (const [name, source] of Object.entries(consumers)) {
    const dir = join(parent, name.replace(/[^\w.-]/g, '_'))
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
    await writeFile(join(dir, 'consumer.ts'), source)
    const compilerOptions = {
      strict: true,
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      noEmit: true,
      skipLibCheck: true,
      types: [],
    }
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
    )
    dirs[name] = dir
  }
  const samples = Object.fromEntries(Object.keys(dirs).map((name) => [name, []]))
  for (let i = 0; i < runs; i++) {
    for (const [name, dir] of Object.entries(dirs)) {
      const started = performance.now()
      const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' })
      samples[name].push(performance.now() - started)
      if (result.status !== 0) throw new Error(`tsc ${name}:\n${result.stdout}${result.stderr}`)
    }
  }
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]
  return Object.fromEntries(Object.entries(samples).map(([name, v]) => [name, median(v)]))
}

/**
 * Times a consumer using two kinds of `out` through `index.ts` and through their own modules;
 * each kind is `{ ns, module, kind }` (its namespace in index.ts, its module path without `.js`,
 * its type name).
 *
 * @example
 * const { viaIndex, viaModules } = await twoKindsTsc({ out, first, second, runs: 3 })
 */
export async function twoKindsTsc({ out, first, second, runs }) {
  const dir = join(out, '..', 'consumers')
  const from = relative(join(dir, 'x'), out)
  const body = `export const names = (a: A, b: B): string => \`\${a.metadata?.name ?? ''}/\${b.metadata?.name ?? ''}\`\n`
  const times = await timeConsumers({
    dir,
    runs,
    consumers: {
      index: `import type { ${first.ns} as ga, ${second.ns} as gb } from '${from}/index.js'\ntype A = ga.${first.kind}\ntype B = gb.${second.kind}\n${body}`,
      modules: `import type { ${first.kind} as A } from '${from}/${first.module}.js'\nimport type { ${second.kind} as B } from '${from}/${second.module}.js'\n${body}`,
    },
  })
  return { viaIndex: times.index, viaModules: times.modules }
}

async function consumerTsc(out, runs) {
  const index = readFileSync(join(out, 'index.ts'), 'utf8')
  const modules = [...index.matchAll(/export \* as (\w+) from '\.\/([^']+)\.js'/g)]
    .map(([, ns, module]) => ({ ns, module }))
    .filter(({ module }) => module.includes('.example.io/'))
  const withKind = (m) => ({
    ...m,
    kind: /export const (\w+)/.exec(readFileSync(join(out, `${m.module}.ts`), 'utf8'))[1],
  })
  const { viaIndex, viaModules } = await twoKindsTsc({
    out,
    first: withKind(modules[0]),
    second: withKind(modules[Math.floor(modules.length / 2)]),
    runs,
  })
  return `two kinds via their modules ${fmt(viaModules)} · via index.ts ${fmt(viaIndex)} · ${(viaIndex / viaModules).toFixed(2)}× (target ≤ 1.5×)`
}

/**
 * Runs the end-to-end rows at each count of `counts`.
 *
 * @example
 * await endToEnd({ counts: [100], work, bin, startApiServer, corpus, runs: 1, rows: 'all' })
 */
export async function endToEnd({ counts, work, bin, startApiServer, corpus, runs, rows }) {
  const nodeStart = []
  for (let i = 0; i < 5; i++) {
    const started = performance.now()
    spawnSync(process.execPath, ['-e', '0'])
    nodeStart.push(performance.now() - started)
  }
  const bare = [...nodeStart].sort((a, b) => a - b)[2]
  const corpusFiles = readdirSync(corpus, { recursive: true })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(corpus, f))
  if (rows !== 'cold')
    console.log(`\nend to end: YAML parsers on the CRD corpus, ${yamlParsers(corpusFiles)}`)
  for (const count of counts) {
    const base = join(work, `e2e-${count}`)
    await rm(base, { recursive: true, force: true })
    const crds = join(base, 'crds')
    const synthesized = await writeCrdFiles(crds, count)
    const env = { ...process.env, K8S_CODEGEN_CACHE_DIR: join(base, 'cache') }
    const project = ['--out', join(base, 'out'), '--lockfile', join(base, 'k8s-codegen.lock.json')]
    const label = `e2e ${count} CRDs (${(synthesized.bytes / 1e6).toFixed(0)} MB of YAML)`
    if (rows !== 'cold')
      console.log(
        `${label}: YAML parsers on 50 synthesized files, ${yamlParsers(synthesized.files.slice(0, 50))}`,
      )
    try {
      const cold = await cli(bin, ['generate', '--crds', crds, ...project, '--json'], env)
      const gvs = cold.json.groupVersions
      console.log(
        `${label}: generate --crds cold ${fmt(cold.ms)} for ${gvs} group-versions · ${(cold.ms / gvs / 1000).toFixed(3)} s per group-version (target ≤ 0.05 s) · peak RSS ${mb(cold.rss)} (target ≤ 512 MB at 2,000) · CPU ${fmt(cold.cpuMs)}, ${(cold.cpuMs / gvs / 1000).toFixed(3)} s per group-version · load ${load()}`,
      )
      if (rows === 'cold') continue
      const noop = await cli(bin, ['generate', '--crds', crds, ...project, '--json'], env)
      console.log(
        `${label}: generate --crds no-op ${fmt(noop.ms)} (target ≤ 1 s at 2,000) · peak RSS ${mb(noop.rss)} · ${noop.json.written.length} files written`,
      )
      const edited = synthesized.files[Math.floor(synthesized.files.length / 2)]
      const text = await readFile(edited, 'utf8')
      await writeFile(edited, text.replace(/description: /, 'description: Edited. '))
      const one = await cli(bin, ['generate', '--crds', crds, ...project, '--json'], env)
      console.log(
        `${label}: one CRD edited, regenerated in ${fmt(one.ms)}: ${one.json.written.length} of ${one.json.files} files rewritten (${one.json.written.join(', ')})`,
      )

      const started = performance.now()
      const server = await startApiServer({ crds: [crds] })
      const serving = performance.now() - started
      try {
        const kubeconfig = await server.kubeconfig(join(base, 'kubeconfig'))
        const fetchArgs = [
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--out',
          join(base, 'fetched'),
          '--lockfile',
          join(base, 'fetched.lock.json'),
          '--json',
        ]
        // A fetch that fails is a figure too (the rows after it still run).
        const fetched = await cli(bin, fetchArgs, env).catch((error) => error)
        if (fetched instanceof Error) {
          const reason = /\[(K8S_CODEGEN_[A-Z_]+)\]/.exec(fetched.message)?.[1] ?? fetched.message
          console.log(
            `${label}: emulator serving after ${fmt(serving)} (target ≤ 5 s at 1,000) · fetch FAILED: ${reason}`,
          )
        } else {
          const fetchedGvs = fetched.json.generation?.groupVersions ?? fetched.json.fetched
          const warm = []
          for (let i = 0; i < runs; i++) warm.push((await cli(bin, fetchArgs, env)).ms)
          const warmMs = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)]
          console.log(
            `${label}: emulator serving after ${fmt(serving)} (target ≤ 5 s at 1,000) · fetch cold with generation ${fmt(fetched.ms)}, ${(fetched.ms / fetchedGvs / 1000).toFixed(3)} s per group-version, peak RSS ${mb(fetched.rss)} · warm ${fmt(warmMs)} = ${(warmMs / bare).toFixed(1)}× node -e 0 (${fmt(bare)}; target ≤ 2×)`,
          )
        }
      } finally {
        await server.close()
      }
      console.log(`${label}: consumer tsc --noEmit, ${await consumerTsc(join(base, 'out'), runs)}`)
    } finally {
      await rm(base, { recursive: true, force: true })
    }
  }
  if (rows !== 'cold') await peers({ corpus: corpusFiles, work, bin, env: process.env })
}

// The 1-minute load average, as `uptime` prints it, and the cores it is shared by.
function load() {
  return `${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`
}

// The tools a user would pick instead, installed from npm into a cache beside the bench's work
// directory at bench time (never dependencies of the repository), and kept there between runs.
const PEERS = [
  {
    name: 'cdk8s import',
    spec: 'cdk8s-cli@2',
    bin: 'cdk8s',
    args: (input, out) => ['import', input, '--language', 'typescript', '--output', out],
  },
  {
    name: 'crd-generate',
    spec: '@kubernetes-models/crd-generate@5',
    bin: 'crd-generate',
    args: (input, out) => ['--input', input, '--output', out],
  },
]

async function installPeers(dir) {
  const missing = PEERS.filter((peer) => !existsSync(join(dir, 'node_modules', '.bin', peer.bin)))
  if (missing.length === 0) return
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'package.json'), '{ "private": true }\n')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  // One install for all; a peer still missing afterwards is skipped with the reason.
  await run(
    npm,
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...missing.map((p) => p.spec)],
    { cwd: dir, timeout: 600_000 },
  ).catch((error) => {
    console.log(
      `peers: npm install ${missing.map((p) => p.spec).join(' ')} failed: ${error.message.split('\n')[0]}`,
    )
  })
}

/**
 * Times each peer and `generate --crds` on the real CRD corpus (one multi-document file of every
 * corpus CRD, what both peers read), each a fresh process into an empty output directory.
 *
 * @example
 * await peers({ corpus: ['crds/a.yaml'], work, bin, env: process.env })
 */
async function peers({ corpus, work, bin, env }) {
  const dir = join(work, '..', 'k8s-codegen-bench-peers')
  await installPeers(dir)
  const base = join(work, 'peers')
  await rm(base, { recursive: true, force: true })
  await mkdir(base, { recursive: true })
  const input = join(base, 'corpus.yaml')
  await writeFile(
    input,
    corpus.map((file) => readFileSync(file, 'utf8').replace(/\n*$/, '\n')).join('---\n'),
  )
  try {
    const ours = await cli(
      bin,
      [
        'generate',
        '--crds',
        input,
        '--out',
        join(base, 'ours'),
        '--lockfile',
        join(base, 'ours.lock.json'),
        '--json',
      ],
      { ...env, K8S_CODEGEN_CACHE_DIR: join(base, 'cache') },
    )
    const gvs = ours.json.groupVersions
    const label = `peers on the CRD corpus (${corpus.length} CRDs, ${gvs} group-versions)`
    const row = (name, r) =>
      `${name} ${fmt(r.ms)}, ${(r.ms / gvs / 1000).toFixed(3)} s per group-version, peak RSS ${mb(r.rss)}`
    console.log(`${label}: ${row('k8s-codegen generate --crds', ours)}`)
    for (const peer of PEERS) {
      const path = join(dir, 'node_modules', '.bin', peer.bin)
      if (!existsSync(path)) {
        console.log(`${label}: ${peer.name} (${peer.spec}) is not installed; not run`)
        continue
      }
      const out = join(base, peer.bin)
      const r = await cli(realpathSync(path), peer.args(input, out), env, { cwd: base })
      console.log(
        `${label}: ${row(`${peer.name} (${peer.spec})`, r)} · ${(r.ms / ours.ms).toFixed(2)}× ours`,
      )
    }
  } finally {
    await rm(base, { recursive: true, force: true })
  }
}

// npm run bench:crd-yaml [-- --crds 200 --rounds 3]: how fast CRD YAML becomes values, per
// reader, on the real CRD corpus (packages/cli/test/corpus/crds) and on synthesized real-shaped
// CRDs written as the end-to-end bench writes them (./_crd-profile.js, js-yaml `dump`):
//   js-yaml             loadAll with CORE_SCHEMA: the baseline, what both readers used before
//   k8s-codegen reader  @k8s-codegen/openapi/crd-yaml loadYamlDocuments as `generate --crds` and
//                       the emulator run it: document split, the block-YAML fast path (js-yaml
//                       for what it declines), the expanded-size bound
//   yaml                parseAllDocuments(core).toJS() (corpus only, a row of its own: ~10×
//                       slower than js-yaml)
//   JSON.parse          of the same values as JSON: the floor
// CPU time (process.cpuUsage) and wall, the median of `--rounds` rounds run round-robin so a load
// change on the shared machine hits every reader alike; MB/s and the ratio to js-yaml measured in
// the same run. Every value the k8s-codegen reader returns is checked against js-yaml's first.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual, parseArgs } from 'node:util'

import { DEFAULT_CRD_READ_LIMITS, loadYamlDocuments } from '@k8s-codegen/openapi/crd-yaml'

import { crdManifests } from './_crd-profile.js'

const { values } = parseArgs({
  options: { crds: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' } },
})
const crds = Number(values.crds)
const rounds = Number(values.rounds)
if (!Number.isSafeInteger(crds) || crds < 1 || !Number.isSafeInteger(rounds) || rounds < 1) {
  console.error('bench:crd-yaml: --crds and --rounds take positive integers')
  process.exit(2)
}

// The packages the readers come from, resolved as openapi and testkit resolve them.
const require = createRequire(new URL('../../packages/openapi/package.json', import.meta.url))
const jsYaml = require('js-yaml')
const yaml = createRequire(new URL('../../packages/cluster/package.json', import.meta.url))('yaml')

const corpusDir = new URL('../../packages/cli/test/corpus/crds', import.meta.url).pathname
const corpus = readdirSync(corpusDir, { recursive: true })
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, text: readFileSync(join(corpusDir, name), 'utf8') }))
const synthesized = [
  ...crdManifests({ crds, groupVersions: Math.max(1, Math.round(crds * 0.433)) }),
].map((manifest, i) => ({
  name: `${i}.yaml`,
  text: jsYaml.dump(manifest, { noRefs: true, lineWidth: -1 }),
}))

const limits = { ...DEFAULT_CRD_READ_LIMITS, totalBytes: Infinity }
const readers = {
  'js-yaml': (file) => jsYaml.loadAll(file.text, undefined, { schema: jsYaml.CORE_SCHEMA }),
  'k8s-codegen reader': (file) =>
    [...loadYamlDocuments(file.text, file.name, limits)].map((document) => document.value),
  yaml: (file) =>
    yaml.parseAllDocuments(file.text, { schema: 'core', merge: false }).map((d) => d.toJS()),
  'JSON.parse': (file) => JSON.parse(file.json),
}

function check(files) {
  for (const file of files) {
    const want = readers['js-yaml'](file).filter((value) => value !== null && value !== undefined)
    const got = readers['k8s-codegen reader'](file).filter((v) => v !== null && v !== undefined)
    if (!isDeepStrictEqual(got, want)) {
      console.error(`bench:crd-yaml: the k8s-codegen reader differs from js-yaml on ${file.name}`)
      process.exit(1)
    }
    file.json = JSON.stringify(want)
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]

// Each timed pass reads the files as often as it takes to read 20 MB: a shorter one measures
// the compiler and GC threads (process.cpuUsage counts every thread) more than the reader. No
// forced GC between passes: after one, the reader's pass took 1.7× the CPU of an unforced run.
function measure(label, files, names) {
  check(files)
  const mb = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) / 1e6
  const repeat = Math.ceil(20 / mb)
  const pass = (name) => {
    for (let r = 0; r < repeat; r++) for (const file of files) readers[name](file)
  }
  for (const name of names) pass(name)
  const cpu = new Map(names.map((name) => [name, []]))
  const wall = new Map(names.map((name) => [name, []]))
  const load = loadavg()[0]
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const started = performance.now()
      const before = process.cpuUsage()
      pass(name)
      const used = process.cpuUsage(before)
      wall.get(name).push(performance.now() - started)
      cpu.get(name).push((used.user + used.system) / 1000)
    }
  }
  const base = median(cpu.get('js-yaml'))
  console.log(
    `${label}: ${files.length} files, ${mb.toFixed(1)} MB${repeat > 1 ? ` read ${repeat}× a pass` : ''} · load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
  )
  for (const name of names) {
    const ms = median(cpu.get(name))
    console.log(
      `  ${name.padEnd(20)} ${((mb * repeat) / (ms / 1000)).toFixed(0).padStart(5)} MB/s CPU · ${ms.toFixed(0).padStart(6)} ms CPU, ${median(wall.get(name)).toFixed(0).padStart(6)} ms wall · ${(base / ms).toFixed(2)}× js-yaml`,
    )
  }
}

measure('real CRD corpus', corpus, ['js-yaml', 'k8s-codegen reader', 'JSON.parse'])
measure('real CRD corpus (yaml)', corpus, ['js-yaml', 'yaml'])
measure(`synthesized ${crds} CRDs`, synthesized, ['js-yaml', 'k8s-codegen reader', 'JSON.parse'])

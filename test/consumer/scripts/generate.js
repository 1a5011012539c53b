// Generates test/consumer/generated from the recorded Kubernetes v3 documents
// (../shared/fixtures/kubernetes, read in place) plus the testkit's example.dev/v1 CRD group.
import { readFile, readdir, rm, mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { generate } from '@k8s-codegen/codegen'
import { exampleCrdDocument, recordedProfileDir, sharedSchemaOf } from '@k8s-codegen/testkit'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', 'generated')

const dir = recordedProfileDir()
if (dir === undefined) {
  console.warn(
    'consumer: SKIPPED — ../shared/fixtures/kubernetes is absent (set K8S_CODEGEN_SHARED_DIR); the consumer needs the recorded specs',
  )
  await rm(out, { recursive: true, force: true })
  process.exit(0)
}

const groupVersions = []
const load = async (key, file, group, version) => {
  const document = JSON.parse(await readFile(file, 'utf8'))
  groupVersions.push({ key, group, version, hash: `recorded:${key}`, document })
}
await load('api/v1', join(dir, 'v3', 'api', 'v1.json'), '', 'v1')
for (const group of (await readdir(join(dir, 'v3', 'apis'))).sort()) {
  for (const file of (await readdir(join(dir, 'v3', 'apis', group))).sort()) {
    const version = file.replace(/\.json$/, '')
    await load(`apis/${group}/${version}`, join(dir, 'v3', 'apis', group, file), group, version)
  }
}
// As the emulator (and a real apiserver) serves it: the CRD document embeds the cluster's own
// ObjectMeta, Status and Scale, not the stand-in copies, which differ from api/v1's.
groupVersions.push({
  key: 'apis/example.dev/v1',
  group: 'example.dev',
  version: 'v1',
  hash: 'testkit:example.dev/v1',
  document: exampleCrdDocument(sharedSchemaOf(groupVersions.map((gv) => gv.document))),
  // Served by CRDs, as the lockfile of `--crds` or `fetch` marks it: its OpenAPI defaults apply.
  crdFacts: {
    resources: [
      { name: 'gadgets', kind: 'Gadget' },
      { name: 'widgets', kind: 'Widget' },
    ],
  },
})

// nocheck: false, so the consumer's type-check covers the generated code itself too.
const { files, warnings, stats } = await generate({
  groupVersions,
  lockfileHash: 'recorded-fixtures',
  options: { nocheck: false },
})
for (const warning of warnings) console.warn(`consumer: warning: ${warning}`)
await rm(out, { recursive: true, force: true })
for (const [path, content] of files) {
  await mkdir(dirname(join(out, path)), { recursive: true })
  await writeFile(join(out, path), content)
}
console.log(
  `consumer: generated ${stats.groupVersions} group-versions, ${stats.resources} resources, ${stats.files} files`,
)

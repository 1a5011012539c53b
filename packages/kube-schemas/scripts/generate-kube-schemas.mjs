#!/usr/bin/env node
// Writes the built-in OpenAPI v3 documents shipped for `--kube-version` from released Kubernetes
// sources (never hand-copied): `npm run generate:kube-schemas -w @k8s-codegen/kube-schemas`.
//
// Source: the Go module zip of k8s.io/kubernetes@<release> from the Go module proxy
// (`go mod download -json`), file `api/openapi-spec/v3/<path>_openapi.json` — the documents
// `hack/update-openapi-spec.sh` records from a running kube-apiserver of that release, one per
// `/openapi/v3/<api|apis/group>/<version>` path.
//
// Each document keeps `components.schemas` with only what validation reads (see KEPT below) and
// loses descriptions, `paths` and the `x-kubernetes-*` that only server-side apply or clients
// use. A kind's scope, which only `paths` told, becomes `x-kubectl-validate-scope` on its schema
// (the extension kubectl-validate pkg/validator/validator.go infoForGVK reads). Documents are
// stored gzipped and content-addressed, so a group-version unchanged between releases is one file.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

// The newest patch release of each of the last four minors, as the Go module proxy lists them.
const releases = ['v1.34.4', 'v1.35.4', 'v1.36.3', 'v1.37.2']
const command = 'npm run generate:kube-schemas -w @k8s-codegen/kube-schemas'
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated')

// The schema keywords validation reads; everything else is dropped.
// - The OpenAPI keywords of kube-openapi pkg/validation/validate (types, formats, numbers,
//   lengths, counts, composition, `nullable`) and `default` (the decoder's defaulting).
// - `$ref` and `allOf` (published documents wrap a reference in `allOf`).
// - `x-kubernetes-group-version-kind`: which schema is a kind.
// - `x-kubernetes-list-type`/`-list-map-keys`: set and map duplicates (ValidateListSetsAndMaps).
// - `x-kubernetes-int-or-string`, `-preserve-unknown-fields`, `-embedded-resource`: types and
//   pruning of the structural schema.
// - `x-kubernetes-validations`: CEL rules (no built-in publishes one yet; kept if one does).
// Dropped: `description`, `example`, `x-kubernetes-patch-strategy`/`-patch-merge-key` (strategic
// merge patch), `x-kubernetes-map-type` (server-side apply's atomic/granular), `x-kubernetes-unions`
// (a discriminator nothing validates from the schema).
const KEPT = new Set([
  'type',
  'format',
  'nullable',
  'default',
  'enum',
  'required',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'multipleOf',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'properties',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  '$ref',
  'x-kubernetes-group-version-kind',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
])
// Keywords whose value is a schema, a list of them, or a map of them.
const SUBSCHEMA = new Set(['items', 'not', 'additionalProperties'])
const SUBSCHEMAS = new Set(['allOf', 'anyOf', 'oneOf'])

function strip(schema) {
  if (typeof schema !== 'object' || schema === null) return schema
  const out = {}
  for (const key of Object.keys(schema).sort()) {
    if (!KEPT.has(key)) continue
    const value = schema[key]
    if (key === 'properties')
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)]))
    else if (SUBSCHEMA.has(key)) out[key] = strip(value)
    else if (SUBSCHEMAS.has(key)) out[key] = value.map(strip)
    else out[key] = value
  }
  return out
}

const gvkKey = (g) => `${g.group ?? ''}/${g.version}/${g.kind}`

// kubectl-validate pkg/utils ExtractPathGVKs + infoForGVK: a kind is namespaced when an operation
// under a `namespaces/{namespace}` path names it.
function scopes(paths) {
  const namespaced = new Set()
  const seen = new Set()
  for (const [path, item] of Object.entries(paths ?? {})) {
    for (const operation of Object.values(item)) {
      const gvk = operation?.['x-kubernetes-group-version-kind']
      if (gvk === undefined) continue
      seen.add(gvkKey(gvk))
      if (path.includes('namespaces/{namespace}')) namespaced.add(gvkKey(gvk))
    }
  }
  return { namespaced, seen }
}

function convert(raw) {
  const { namespaced, seen } = scopes(raw.paths)
  const schemas = {}
  for (const name of Object.keys(raw.components?.schemas ?? {}).sort()) {
    const schema = strip(raw.components.schemas[name])
    const gvks = schema['x-kubernetes-group-version-kind'] ?? []
    const own = gvks.filter((g) => seen.has(gvkKey(g)))
    if (own.length > 0) {
      schema['x-kubectl-validate-scope'] = own.some((g) => namespaced.has(gvkKey(g)))
        ? 'Namespaced'
        : 'Cluster'
    }
    schemas[name] = schema
  }
  return { openapi: raw.openapi, components: { schemas } }
}

// `api__v1_openapi.json` → `v1`; `apis__apps__v1_openapi.json` → `apps/v1`; group-only and
// non-API documents (`apis__apps_openapi.json`, `version_openapi.json`) are skipped.
function groupVersionOf(file) {
  const parts = file.replace(/_openapi\.json$/, '').split('__')
  if (parts[0] === 'api' && parts.length === 2) return parts[1]
  if (parts[0] === 'apis' && parts.length === 3) return `${parts[1]}/${parts[2]}`
  return undefined
}

function moduleDir(release) {
  const out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${release}`], {
    encoding: 'utf8',
    cwd: outDir,
  })
  const info = JSON.parse(out)
  if (typeof info.Dir !== 'string') throw new Error(`go mod download k8s.io/kubernetes: ${out}`)
  return info
}

rmSync(join(outDir, 'documents'), { recursive: true, force: true })
mkdirSync(join(outDir, 'documents'), { recursive: true })
const versions = {}
const files = new Set()
for (const release of releases) {
  const info = moduleDir(release)
  const specDir = join(info.Dir, 'api', 'openapi-spec', 'v3')
  const groupVersions = {}
  for (const file of readdirSync(specDir).sort()) {
    const groupVersion = groupVersionOf(file)
    if (groupVersion === undefined) continue
    const document = convert(JSON.parse(readFileSync(join(specDir, file), 'utf8')))
    const bytes = Buffer.from(JSON.stringify(document))
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
    if (!files.has(id)) {
      // mtime 0 and no name in the header: the same input gives the same bytes.
      writeFileSync(join(outDir, 'documents', `${id}.json.gz`), gzipSync(bytes, { level: 9 }))
      files.add(id)
    }
    groupVersions[groupVersion] = id
  }
  const minor = release.replace(/^v(\d+\.\d+)\.\d+$/, '$1')
  versions[minor] = {
    release: release.slice(1),
    source: `k8s.io/kubernetes@${release} api/openapi-spec/v3 (Go module proxy, ${info.Sum})`,
    groupVersions,
  }
}
writeFileSync(
  join(outDir, 'index.json'),
  JSON.stringify({ 'DO NOT EDIT': `generated by ${command}`, versions }, null, 2) + '\n',
)
process.stdout.write(
  `${Object.keys(versions).length} releases, ${files.size} documents in ${outDir}\n`,
)

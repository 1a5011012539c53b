#!/usr/bin/env node
// Writes the emulator's tables of the built-in kinds from the Kubernetes sources themselves
// (never hand-copied): `npm run generate:kube-tables -w @k8s-codegen/testkit`.
//
// - generated/protobuf-kinds.jsonc: every message of k8s.io/api's and k8s.io/apimachinery's
//   `generated.proto` (field numbers and wire types, parsed with protobufjs), joined with the Go
//   struct tags of the same types (`json:"name,omitempty"`, pointer or not, inlined) that decide
//   what Go's JSON encoder writes, and the group-version each proto package serves
//   (`GroupName` in the package's register.go).
// - generated/deprecated-kinds.jsonc: every kind whose `zz_generated.prerelease-lifecycle.go`
//   states APILifecycleDeprecated, with its APILifecycleRemoved and APILifecycleReplacement.
// - generated/printer-descriptions.jsonc: the SwaggerDoc texts (`types_swagger_doc_generated.go`)
//   kube-apiserver's Table printers (kubernetes pkg/printers/internalversion/printers.go) give
//   their columns as descriptions, for the types `table-printers.ts` prints.
//
// The modules come from the Go module cache (`go mod download -json`), at one release.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'

const release = 'v0.37.2'
const modules = ['k8s.io/api', 'k8s.io/apimachinery']
const command = 'npm run generate:kube-tables -w @k8s-codegen/testkit'
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated')
mkdirSync(outDir, { recursive: true })

function moduleDir(path) {
  const out = execFileSync('go', ['mod', 'download', '-json', `${path}@${release}`], {
    encoding: 'utf8',
    cwd: outDir,
  })
  const info = JSON.parse(out)
  if (typeof info.Dir !== 'string') throw new Error(`go mod download ${path}: ${out}`)
  return info.Dir
}

function walk(dir, name) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...walk(path, name))
    else if (entry.name === name) found.push(path)
  }
  return found.sort()
}

// Go struct fields of one package: `type X struct { … }` blocks, one field per line with its
// tags. Returns struct name → proto field number → { json, omitEmpty, pointer, inline }, and
// the names of slice types (`type ExtraValue []string`, a proto message with `items`).
function goTypes(dir) {
  const structs = new Map()
  const slices = new Set()
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.go') || file.endsWith('_test.go') || file.startsWith('zz_generated'))
      continue
    if (file === 'generated.pb.go') continue
    const lines = readFileSync(join(dir, file), 'utf8').split('\n')
    let current
    for (const line of lines) {
      const start = /^type (\w+) struct \{$/.exec(line)
      if (start) {
        current = new Map()
        structs.set(start[1], current)
        continue
      }
      const slice = /^type (\w+) \[\]\S+$/.exec(line)
      if (slice) slices.add(slice[1])
      if (current === undefined) continue
      if (line === '}') {
        current = undefined
        continue
      }
      const field = /^\s*(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(line)
      if (!field) continue
      const [, name, type, tags] = field
      const proto = /protobuf:"\w+,(\d+),/.exec(tags)
      if (!proto) continue
      const json = /json:"([^"]*)"/.exec(tags)
      const [jsonName = '', ...options] = (json?.[1] ?? '').split(',')
      current.set(Number(proto[1]), {
        json: jsonName === '' && name === undefined ? '' : jsonName || name,
        omitEmpty: options.includes('omitempty'),
        pointer: type.startsWith('*'),
        inline: name === undefined && jsonName === '',
      })
    }
  }
  return { structs, slices }
}

// The group a package registers: `const GroupName = "apps"` in register.go (core/v1: "").
function groupOf(dir) {
  const register = join(dir, 'register.go')
  if (!existsSync(register)) return undefined
  const match = /^const GroupName = "([^"]*)"$/m.exec(readFileSync(register, 'utf8'))
  return match?.[1]
}

const root = new protobuf.Root()
const packages = []
for (const module of modules) {
  const dir = moduleDir(module)
  for (const file of walk(dir, 'generated.proto')) {
    const parsed = protobuf.parse(readFileSync(file, 'utf8'), root, { keepCase: true })
    const pkgDir = dirname(file)
    packages.push({ name: parsed.package, dir: pkgDir, module, rel: relative(dir, pkgDir) })
  }
}
root.resolveAll()

const messages = {}
const groupVersions = {}
for (const pkg of packages) {
  const { structs, slices } = goTypes(pkg.dir)
  const group = groupOf(pkg.dir)
  if (pkg.module === 'k8s.io/api' && group !== undefined) {
    const version = basename(pkg.dir)
    groupVersions[group === '' ? version : `${group}/${version}`] = pkg.name
  }
  const namespace = root.lookup(pkg.name)
  for (const type of namespace.nestedArray) {
    if (!(type instanceof protobuf.Type)) continue
    const go = structs.get(type.name)
    // In declaration order, which is the Go struct's: Go's JSON encoder writes fields in it.
    const fields = []
    for (const field of type.fieldsArray) {
      const tag = go?.get(field.id)
      const out = {
        id: field.id,
        name: field.name,
        json: tag?.json ?? field.name,
        type: field.resolvedType ? field.resolvedType.fullName.slice(1) : field.type,
      }
      if (field.map) out.key = field.keyType
      if (field.map) out.map = true
      else if (field.repeated) out.repeated = true
      if (tag?.omitEmpty) out.omitEmpty = true
      if (tag?.pointer) out.pointer = true
      if (tag?.inline) out.inline = true
      fields.push(out)
    }
    const entry = { fields }
    if (slices.has(type.name)) entry.slice = true
    messages[`${pkg.name}.${type.name}`] = entry
  }
}

// zz_generated.prerelease-lifecycle.go (and core/v1's handwritten lifecycle.go): `func (in
// *Kind) APILifecycleDeprecated() (major, minor int) {\n\treturn 1, 33\n}` and
// `APILifecycleReplacement() schema.GroupVersionKind {\n\treturn schema.GroupVersionKind{Group:
// "…", Version: "…", Kind: "…"}\n}`.
const deprecated = {}
const apiDir = moduleDir('k8s.io/api')
for (const dir of [...new Set(walk(apiDir, 'register.go').map((file) => dirname(file)))]) {
  const group = groupOf(dir)
  if (group === undefined) continue
  const version = basename(dir)
  const groupVersion = group === '' ? version : `${group}/${version}`
  const text = readdirSync(dir)
    .filter((file) => file.endsWith('.go') && !file.endsWith('_test.go'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n')
  const release = (kind, method) => {
    const match = new RegExp(
      `func \\(in \\*${kind}\\) ${method}\\(\\) \\(major, minor int\\) \\{\\s*return (\\d+), (\\d+)`,
    ).exec(text)
    return match ? [Number(match[1]), Number(match[2])] : undefined
  }
  for (const match of text.matchAll(/func \(in \*(\w+)\) APILifecycleDeprecated\(\)/g)) {
    const kind = match[1]
    const since = release(kind, 'APILifecycleDeprecated')
    if (since === undefined || (since[0] === 0 && since[1] === 0)) continue
    const entry = { deprecated: since }
    const removed = release(kind, 'APILifecycleRemoved')
    if (removed !== undefined && (removed[0] !== 0 || removed[1] !== 0)) entry.removed = removed
    const replacement = new RegExp(
      `func \\(in \\*${kind}\\) APILifecycleReplacement\\(\\) schema.GroupVersionKind \\{\\s*return schema.GroupVersionKind\\{Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"\\}`,
    ).exec(text)
    if (replacement !== null) {
      const [, rGroup, rVersion, rKind] = replacement
      entry.replacement = {
        groupVersion: rGroup === '' ? rVersion : `${rGroup}/${rVersion}`,
        kind: rKind,
      }
    }
    deprecated[`${groupVersion}/${kind}`] = entry
  }
}

// One line per table entry (a message, a kind), so a regeneration diffs by entry.
function write(file, what, data) {
  const header = `// DO NOT EDIT: written by \`${command}\` from ${what} (${modules.map((m) => `${m}@${release}`).join(', ')}).`
  const lines = (object) =>
    Object.entries(object).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
  const body = Object.values(data).every((v) => typeof v === 'object' && !Array.isArray(v))
    ? `{\n${Object.entries(data)
        .map(([key, value]) => `${JSON.stringify(key)}: {\n${lines(value).join(',\n')}\n}`)
        .join(',\n')}\n}`
    : JSON.stringify(data)
  writeFileSync(join(outDir, file), `${header}\n${body}\n`)
}

// `var map_<Type> = map[string]string{ "<field>": "<text>", … }` of one swagger-doc file: Go's
// interpreted string literals, which JSON reads alike (\", \n, \\).
function swaggerDocs(file, types) {
  const text = readFileSync(file, 'utf8')
  const out = {}
  for (const type of types) {
    const block = new RegExp(
      `^var map_${type} = map\\[string\\]string\\{\\n([\\s\\S]*?)\\n\\}`,
      'm',
    ).exec(text)
    if (!block) throw new Error(`${file}: no map_${type}`)
    const fields = {}
    for (const line of block[1].split('\n')) {
      const entry = /^\s*"(\w*)":\s*(".*"),$/.exec(line)
      if (entry) fields[entry[1]] = JSON.parse(entry[2])
    }
    out[type] = fields
  }
  return out
}
const printerDescriptions = {
  ...swaggerDocs(
    join(moduleDir('k8s.io/apimachinery'), 'pkg/apis/meta/v1/types_swagger_doc_generated.go'),
    ['ObjectMeta'],
  ),
  ...swaggerDocs(join(apiDir, 'core/v1/types_swagger_doc_generated.go'), [
    'ConfigMap',
    'Secret',
    'PodSpec',
    'PodStatus',
    'ServiceSpec',
    'Endpoints',
    'NodeStatus',
    'NodeSystemInfo',
    'Event',
    'ObjectReference',
    'PersistentVolumeSpec',
    'PersistentVolumeStatus',
    'PersistentVolumeClaimSpec',
    'PersistentVolumeClaimStatus',
  ]),
  ...swaggerDocs(join(apiDir, 'apps/v1/types_swagger_doc_generated.go'), [
    'DeploymentSpec',
    'DeploymentStatus',
    'ReplicaSetSpec',
    'ReplicaSetStatus',
    'DaemonSetSpec',
    'DaemonSetStatus',
  ]),
  ...swaggerDocs(join(apiDir, 'batch/v1/types_swagger_doc_generated.go'), [
    'JobSpec',
    'JobStatus',
    'CronJobSpec',
    'CronJobStatus',
  ]),
  ...swaggerDocs(join(apiDir, 'autoscaling/v2/types_swagger_doc_generated.go'), [
    'HorizontalPodAutoscalerSpec',
    'HorizontalPodAutoscalerStatus',
  ]),
  ...swaggerDocs(join(apiDir, 'networking/v1/types_swagger_doc_generated.go'), [
    'NetworkPolicySpec',
  ]),
  // printers.go describes the roleRef of both bindings from rbac/v1beta1.
  ...swaggerDocs(join(apiDir, 'rbac/v1beta1/types_swagger_doc_generated.go'), [
    'RoleBinding',
    'ClusterRoleBinding',
  ]),
  ...swaggerDocs(join(apiDir, 'scheduling/v1/types_swagger_doc_generated.go'), ['PriorityClass']),
  ...swaggerDocs(join(apiDir, 'coordination/v1/types_swagger_doc_generated.go'), ['LeaseSpec']),
  ...swaggerDocs(join(apiDir, 'discovery/v1/types_swagger_doc_generated.go'), ['EndpointSlice']),
  ...swaggerDocs(join(apiDir, 'storage/v1/types_swagger_doc_generated.go'), ['StorageClass']),
}

write('protobuf-kinds.jsonc', 'generated.proto and the Go types', { groupVersions, messages })
write('printer-descriptions.jsonc', 'types_swagger_doc_generated.go', printerDescriptions)
write('deprecated-kinds.jsonc', 'the APILifecycle methods of the types', deprecated)
process.stdout.write(
  `${Object.keys(messages).length} messages, ${Object.keys(groupVersions).length} group-versions, ${Object.keys(deprecated).length} deprecated kinds → ${relative(process.cwd(), outDir)}\n`,
)

import { Readable } from 'node:stream'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { recordedProfileDir } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// `k8s-codegen validate` end to end, in process: real CRDs of the corpus (cert-manager, Gateway
// API) with valid and invalid custom resources; what is printed, the JSON document
// kubectl-validate prints, and the exit code. The messages themselves are @k8s-codegen/validation's
// (checked there against a real kube-apiserver); these rows check that the command finds,
// reads, names and reports them.
const CORPUS = fileURLToPath(new URL('corpus/crds', import.meta.url))
const CERT_MANAGER = join(CORPUS, 'cert-manager')
const GATEWAY_API = join(CORPUS, 'gateway-api')

const certificate = (name: string, spec: string): string =>
  `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}`
const GOOD_CERT = certificate(
  'web',
  '  secretName: web-tls\n  dnsNames: [example.com]\n  issuerRef: {name: letsencrypt, kind: ClusterIssuer}\n',
)
const NO_SECRET = certificate(
  'web',
  '  dnsNames: [example.com]\n  issuerRef: {name: letsencrypt}\n',
)
const BAD_NAME = certificate('Web_1', '  secretName: web-tls\n  issuerRef: {name: letsencrypt}\n')
const HTTP_ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: default}
spec:
  parentRefs: [{name: gateway}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /shop}}]
    backendRefs: [{name: shop, port: 8080}]
`
// With neither a lockfile nor --specs-dir, the newest shipped built-ins are consulted last.
const BUILT_INS = 'the built-in schemas of Kubernetes 1.37.2'
const NAME_CAUSE =
  "metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*') [FieldValueInvalid]"

let dir: string
let cases = 0
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-validate-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `files` into a fresh directory and runs `validate` there. */
async function validateIn(
  files: Record<string, string | Buffer>,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string; cwd: string }> {
  const cwd = join(dir, `case-${cases++}`)
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(cwd, path)), { recursive: true })
    await writeFile(join(cwd, path), content)
  }
  await mkdir(cwd, { recursive: true })
  const run = await runMain(['validate', ...args], {
    cwd,
    cacheDir: join(cwd, '.cache'),
    stdin: stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]),
  })
  return { ...run, cwd }
}

describe('validate: what it reads and reports', () => {
  const rows: {
    name: string
    given: { files: Record<string, string>; args: string[]; stdin?: string }
    want: { code: number; stdout: string; stderr?: string }
  }[] = [
    {
      name: 'a valid custom resource against its CRD',
      given: { files: { 'm/cert.yaml': GOOD_CERT }, args: ['m', '--crds', CERT_MANAGER] },
      want: { code: 0, stdout: '1 object in 1 file: 1 valid, 0 invalid\n' },
    },
    {
      name: 'an invalid one: one line per cause naming file, document, object, field and rule',
      given: {
        files: { 'm/cert.yaml': `${GOOD_CERT}---\n${BAD_NAME}` },
        args: ['m', '--crds', CERT_MANAGER],
      },
      want: {
        code: 5,
        stdout: `m/cert.yaml document 1 (Certificate Web_1): ${NAME_CAUSE}\n2 objects in 1 file: 1 valid, 1 invalid\n`,
      },
    },
    {
      name: 'multi-document YAML, several CRD sets, a missing required field',
      given: {
        files: { 'm/all.yaml': `${HTTP_ROUTE}---\n${NO_SECRET}---\n` },
        args: ['m', '--crds', CERT_MANAGER, '--crds', GATEWAY_API],
      },
      want: {
        code: 5,
        stdout:
          'm/all.yaml document 1 (Certificate web): spec.secretName: Required value [FieldValueRequired]\n2 objects in 1 file: 1 valid, 1 invalid\n',
      },
    },
    {
      name: 'a kind: List: each item validated and named by its index',
      given: {
        files: {
          'list.yaml': `apiVersion: v1\nkind: List\nitems:\n${[GOOD_CERT, NO_SECRET].map((d) => `- ${d.replace(/\n(?=.)/g, '\n  ')}`).join('')}`,
        },
        args: ['list.yaml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 5,
        stdout:
          'list.yaml document 0 item 1 (Certificate web): spec.secretName: Required value [FieldValueRequired]\n2 objects in 1 file: 1 valid, 1 invalid\n',
      },
    },
    {
      name: 'stdin, named -',
      given: { files: {}, args: ['-', '--crds', CERT_MANAGER], stdin: NO_SECRET },
      want: {
        code: 5,
        stdout:
          '- document 0 (Certificate web): spec.secretName: Required value [FieldValueRequired]\n1 object in 1 file: 0 valid, 1 invalid\n',
      },
    },
    {
      name: 'a glob: every file it matches below the walk, hidden directories left out',
      given: {
        files: {
          'deploy/a/cert.yaml': GOOD_CERT,
          'deploy/b/c/cert.yml': NO_SECRET,
          'deploy/b/notes.txt': 'not a manifest',
          'deploy/.git/cert.yaml': NO_SECRET,
        },
        args: ['deploy/**/cert.y*ml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 5,
        stdout:
          'deploy/b/c/cert.yml document 0 (Certificate web): spec.secretName: Required value [FieldValueRequired]\n2 objects in 2 files: 1 valid, 1 invalid\n',
      },
    },
    {
      name: 'a JSON file is one document',
      given: {
        files: {
          'cert.json': JSON.stringify({
            apiVersion: 'cert-manager.io/v1',
            kind: 'Certificate',
            metadata: { name: 'web' },
            spec: { secretName: 's', issuerRef: { name: 'x' }, duration: 5 },
          }),
        },
        args: ['cert.json', '--crds', CERT_MANAGER],
      },
      want: {
        code: 5,
        stdout:
          'cert.json document 0 (Certificate web): spec.duration: Invalid value: "integer": spec.duration in body must be of type string: "integer" [FieldValueTypeInvalid]\n1 object in 1 file: 0 valid, 1 invalid\n',
      },
    },
    {
      name: 'unknown fields: warnings by default, as the server sends them',
      given: {
        files: { 'c.yaml': `${GOOD_CERT}  colour: red\n` },
        args: ['c.yaml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 0,
        stdout: '1 object in 1 file: 1 valid, 0 invalid\n',
        stderr:
          'k8s-codegen validate: warning: c.yaml document 0 (Certificate web): unknown field "spec.colour"\n',
      },
    },
    {
      name: '--strict: unknown fields are the 400 of fieldValidation=Strict',
      given: {
        files: { 'c.yaml': `${GOOD_CERT}  colour: red\n` },
        args: ['c.yaml', '--crds', CERT_MANAGER, '--strict'],
      },
      want: {
        code: 5,
        stdout:
          'c.yaml document 0 (Certificate web): Certificate in version "v1" cannot be handled as a Certificate: strict decoding error: unknown field "spec.colour" [BadRequest]\n1 object in 1 file: 0 valid, 1 invalid\n',
        stderr: '',
      },
    },
    {
      name: "a built-in kind's value of the wrong JSON type is the Go decoder's 400, before validation",
      given: {
        files: {
          'cm.yaml':
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: 1, b: two}\n',
        },
        args: ['cm.yaml', '--strict'],
      },
      want: {
        code: 5,
        stdout:
          'cm.yaml document 0 (ConfigMap settings): ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string [BadRequest]\n1 object in 1 file: 0 valid, 1 invalid\n',
        stderr: '',
      },
    },
    {
      name: 'a kind no source has: a per-document error in kubectl-validate words, the rest still validated',
      given: {
        files: {
          'm.yaml': `apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w}\n---\n${GOOD_CERT}`,
        },
        args: ['m.yaml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 1,
        stdout: `m.yaml document 0 (Widget w): not validated: failed to retrieve validator: failed to locate OpenAPI spec for GV: example.dev/v1\nschemas were looked up in --crds ${CERT_MANAGER}, ${BUILT_INS}\n2 objects in 1 file: 1 valid, 0 invalid, 1 not validated\n`,
      },
    },
    {
      name: 'a kind its group-version does not have',
      given: {
        files: { 'm.yaml': 'apiVersion: cert-manager.io/v1\nkind: Nope\nmetadata: {name: n}\n' },
        args: ['m.yaml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 1,
        stdout: `m.yaml document 0 (Nope n): not validated: failed to retrieve validator: kind Nope not found in cert-manager.io/v1 groupversion\nschemas were looked up in --crds ${CERT_MANAGER}, ${BUILT_INS}\n1 object in 1 file: 0 valid, 0 invalid, 1 not validated\n`,
      },
    },
    {
      name: 'bad YAML: its file, document, line and column; the other documents still validated',
      given: {
        files: { 'm.yaml': `${NO_SECRET}---\nkind: [\n` },
        args: ['m.yaml', '--crds', CERT_MANAGER],
      },
      want: {
        code: 1,
        stdout:
          'm.yaml document 0 (Certificate web): spec.secretName: Required value [FieldValueRequired]\nm.yaml document 1: not valid YAML (line 10, column 8): unexpected end of the stream within a flow collection (not validated)\n2 objects in 1 file: 0 valid, 1 invalid, 1 not validated\n',
      },
    },
    {
      name: 'a document without apiVersion and kind',
      given: { files: { 'm.yaml': 'metadata: {name: x}\n' }, args: ['m.yaml'] },
      want: {
        code: 1,
        stdout:
          'm.yaml document 0: not validated: apiVersion and kind must be set\n1 object in 1 file: 0 valid, 0 invalid, 1 not validated\n',
      },
    },
  ]

  it.each(rows)('$name', async ({ given, want }) => {
    const run = await validateIn(given.files, given.args, given.stdin)
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: want.code,
      stdout: want.stdout,
    })
    if (want.stderr !== undefined) expect(run.stderr).toBe(want.stderr)
  })
})

describe('validate: unusable input stops the run with a usage error', () => {
  const rows: { name: string; given: string[]; want: string }[] = [
    {
      name: 'a path that does not exist',
      given: ['missing.yaml'],
      want: 'k8s-codegen validate: error: validate missing.yaml: no such file or directory [K8S_CODEGEN_OPENAPI_CRD_MISSING]\n',
    },
    {
      name: 'a directory without manifests',
      given: ['empty'],
      want: 'k8s-codegen validate: error: validate empty: matches no .yaml, .yml or .json file [K8S_CODEGEN_OPENAPI_CRD_MISSING]\n',
    },
    {
      name: 'a bad glob',
      given: ['m/[z-a].yaml'],
      want: 'k8s-codegen validate: error: validate "m/[z-a].yaml": the character range "z-a" is reversed [K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID]\n',
    },
    {
      name: 'a --kube-version whose built-in schemas do not ship',
      given: ['m.yaml', '--kube-version', '1.99'],
      want: "k8s-codegen validate: error: --kube-version 1.99: no built-in schemas ship for it (shipped: 1.37, 1.36, 1.35, 1.34); give --specs-dir with the /openapi/v3 documents of a server of that version, or a lockfile from 'k8s-codegen fetch' [K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN]\n",
    },
  ]
  it.each(rows)('$name', async ({ given, want }) => {
    const run = await validateIn({ 'm.yaml': GOOD_CERT, 'empty/README.md': '' }, given)
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: want,
    })
  })
})

describe('validate --output json', () => {
  it("prints { path: [Status per object] } as kubectl-validate does: Go's field order, omitted empties, four-space indent, HTML escapes", async () => {
    const run = await validateIn(
      {
        'm/a.yaml': `${GOOD_CERT}---\n${NO_SECRET.replace('name: web', 'name: web2')}`,
        'm/b.yaml': 'kind: [\n',
      },
      ['m', '--crds', CERT_MANAGER, '-o', 'json'],
    )
    expect(run.code).toBe(1)
    const yamlError =
      'm/b.yaml document 0: not valid YAML (line 1, column 8): unexpected end of the stream within a flow collection'
    expect(JSON.parse(run.stdout)).toEqual({
      'm/a.yaml': [
        { metadata: {}, status: 'Success' },
        {
          metadata: {},
          status: 'Failure',
          message: 'Certificate.cert-manager.io "web2" is invalid: spec.secretName: Required value',
          reason: 'Invalid',
          details: {
            name: 'web2',
            group: 'cert-manager.io',
            kind: 'Certificate',
            causes: [
              { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.secretName' },
            ],
          },
          code: 422,
        },
      ],
      'm/b.yaml': [
        {
          metadata: {},
          status: 'Failure',
          message: `Internal error occurred: ${yamlError}`,
          reason: 'InternalError',
          details: { causes: [{ message: yamlError }] },
          code: 500,
        },
      ],
    })
    // json.MarshalIndent(res, "", "    ") and its key order.
    expect(
      run.stdout.startsWith('{\n    "m/a.yaml": [\n        {\n            "metadata": {},\n'),
    ).toBe(true)
    expect(run.stdout.endsWith('\n}\n')).toBe(true)
  })

  it('escapes <, > and & as Go does', async () => {
    const run = await validateIn(
      { 'c.yaml': GOOD_CERT.replace('secretName: web-tls', 'secretName: <a&b>') },
      ['c.yaml', '--crds', CERT_MANAGER, '-o', 'json', '--strict'],
    )
    expect(run.stdout).not.toMatch(/[<>&]/)
    expect(run.stdout).toBe(
      '{\n    "c.yaml": [\n        {\n            "metadata": {},\n            "status": "Success"\n        }\n    ]\n}\n',
    )
  })
})

describe('validate: hostile trees stay bounded', () => {
  it('a symlink loop is not descended, a huge file is refused at the limit, a deep document is named', async () => {
    const cwd = join(dir, 'hostile')
    await mkdir(join(cwd, 'tree', 'sub'), { recursive: true })
    await symlink('..', join(cwd, 'tree', 'sub', 'loop'))
    await writeFile(join(cwd, 'tree', 'cert.yaml'), GOOD_CERT)
    await writeFile(join(cwd, 'tree', 'sub', 'huge.yaml'), Buffer.alloc(2 * 1024 * 1024, 0x61))
    await writeFile(
      join(cwd, 'tree', 'sub', 'deep.json'),
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
    )
    await writeFile(join(cwd, 'tree', 'sub', 'deep.yaml'), `a: ${'['.repeat(50_000)}`)
    const run = await runMain(
      ['validate', 'tree', '--crds', CERT_MANAGER, '--max-crd-file-bytes', String(1024 * 1024)],
      { cwd, cacheDir: join(cwd, '.cache') },
    )
    expect(run.code).toBe(1)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^tree\/sub\/deep\.json document 0: not validated: /)
    expect(lines[1]).toMatch(
      /^tree\/sub\/deep\.yaml document 0: not valid YAML.* \(not validated\)$|^tree\/sub\/deep\.yaml document 0: not validated: /,
    )
    expect(lines[2]).toBe(
      'tree/sub/huge.yaml: larger than 1048576 bytes (raise the limit with --max-crd-file-bytes) (not validated)',
    )
    expect(lines[3]).toBe('4 objects in 4 files: 1 valid, 0 invalid, 3 not validated')
  })
})

describe('validate: stdin is bounded like a file', () => {
  it('a stream past --max-crd-file-bytes is refused at the limit, not read to its end', async () => {
    const cwd = join(dir, 'stdin-huge')
    await mkdir(cwd, { recursive: true })
    let served = 0
    // An endless stream of bytes, as `validate - < /dev/zero` would read.
    function* endless(): Generator<Uint8Array> {
      for (;;) {
        served += 64 * 1024
        yield Buffer.alloc(64 * 1024, 0x61)
      }
    }
    const run = await runMain(['validate', '-', '--max-crd-file-bytes', String(1024 * 1024)], {
      cwd,
      stdin: Readable.from(endless()),
    })
    expect({ code: run.code, stdout: run.stdout }).toEqual({
      code: 1,
      stdout:
        '-: larger than 1048576 bytes (raise the limit with --max-crd-file-bytes) (not validated)\n1 object in 1 file: 0 valid, 0 invalid, 1 not validated\n',
    })
    // The limit, plus what the stream buffers ahead (its highWaterMark of 16 chunks).
    expect(served).toBeLessThanOrEqual(1024 * 1024 + 17 * 64 * 1024)
  })
})

const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn(
    'validate --specs-dir: ../shared/fixtures/kubernetes is absent; the built-in kinds rows are skipped',
  )

describe.skipIf(recorded === undefined)('validate --specs-dir: built-in kinds', () => {
  const deployment = (replicas: string, image: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: ${image}}]\n`
  const rows: { given: string; want: { code: number; stdout: string } }[] = [
    {
      given: deployment('3', 'nginx'),
      want: { code: 0, stdout: '1 object in 1 file: 1 valid, 0 invalid\n' },
    },
    {
      given: deployment('three', 'nginx'),
      want: {
        code: 5,
        stdout:
          'd.yaml document 0 (Deployment web): Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32 [BadRequest]\n1 object in 1 file: 0 valid, 1 invalid\n',
      },
    },
  ]
  it.each(rows)('$want.code: $given', async ({ given, want }) => {
    const run = await validateIn({ 'd.yaml': given }, [
      'd.yaml',
      '--specs-dir',
      join(recorded as string, 'v3'),
    ])
    expect({ code: run.code, stdout: run.stdout }).toEqual(want)
  })
})

// The documents of @k8s-codegen/kube-schemas, newest by default. A Service's name is a DNS-1035
// label before 1.36 and a DNS-1123 label since (RelaxedServiceNameValidation, core/validation
// ValidateService). A custom resource is namespaced as its CRD says: a namespaced one's namespace
// must be a DNS label, a cluster-scoped one's is cleared by the server, never checked.
describe('validate with the shipped built-in schemas: no lockfile, no --specs-dir', () => {
  const DEPLOYMENT = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Web_1, namespace: default}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n`
  const service = (name: string, port: string): string =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: web}\n  ports: [{port: ${port}}]\n`
  const ISSUER = `apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: letsencrypt, namespace: Not_A_Namespace}\nspec: {selfSigned: {}}\n`
  const rows: {
    name: string
    given: { files: Record<string, string>; args: string[] }
    want: { code: number; stdout: string }
  }[] = [
    {
      name: 'the default (newest) version checks built-in kinds',
      given: {
        files: { 'm/app.yaml': `${DEPLOYMENT}---\n${service('web', '"eighty"')}` },
        args: ['m'],
      },
      want: {
        code: 5,
        stdout: `m/app.yaml document 0 (Deployment Web_1): ${NAME_CAUSE}\nm/app.yaml document 1 (Service web): Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32 [BadRequest]\n2 objects in 1 file: 0 valid, 2 invalid\n`,
      },
    },
    {
      name: 'a Service named 1abc: a DNS-1035 label before 1.36',
      given: {
        files: { 's.yaml': service('1abc', '80') },
        args: ['s.yaml', '--kube-version', '1.35'],
      },
      want: {
        code: 5,
        stdout: `s.yaml document 0 (Service 1abc): metadata.name: Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?') [FieldValueInvalid]\n1 object in 1 file: 0 valid, 1 invalid\n`,
      },
    },
    {
      name: 'a Service named 1abc: a DNS-1123 label since 1.36',
      given: {
        files: { 's.yaml': service('1abc', '80') },
        args: ['s.yaml', '--kube-version', 'v1.37'],
      },
      want: { code: 0, stdout: '1 object in 1 file: 1 valid, 0 invalid\n' },
    },
    {
      name: 'a tree of built-ins and custom resources with --crds; a CR is namespaced or not as its CRD says',
      given: {
        files: {
          'm/app/deployment.yaml': DEPLOYMENT.replace('Web_1', 'web'),
          'm/app/service.yaml': service('web', '80'),
          'm/app/route.yaml': HTTP_ROUTE,
          'm/tls/cert.yaml': GOOD_CERT.replace('namespace: default', 'namespace: Bad_NS'),
          'm/tls/issuer.yaml': ISSUER,
        },
        args: ['m', '--crds', CERT_MANAGER, '--crds', GATEWAY_API],
      },
      want: {
        code: 5,
        stdout: `m/tls/cert.yaml document 0 (Certificate web): metadata.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?') [FieldValueInvalid]\n5 objects in 5 files: 4 valid, 1 invalid\n`,
      },
    },
  ]
  it.each(rows)('$name', async ({ given, want }) => {
    const run = await validateIn(given.files, given.args)
    expect({ code: run.code, stdout: run.stdout }).toEqual(want)
  })
})

// Without --kube-version, the name rules are those of the server the lockfile was fetched from
// (its recorded serverVersion); the documents here come from --specs-dir.
describe.skipIf(recorded === undefined)(
  "validate: the lockfile's server version picks the name rules",
  () => {
    const lockfile = (serverVersion: object | undefined): string =>
      JSON.stringify({ lockfileVersion: 1, source: 'v3', groupVersions: {}, serverVersion })
    const SERVICE =
      'apiVersion: v1\nkind: Service\nmetadata: {name: 1abc}\nspec:\n  ports: [{port: 80}]\n'
    const rows: { given: object | undefined; want: { code: number; stdout: string } }[] = [
      {
        given: { major: '1', minor: '35', gitVersion: 'v1.35.3' },
        want: {
          code: 5,
          stdout: `s.yaml document 0 (Service 1abc): metadata.name: Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?') [FieldValueInvalid]\n1 object in 1 file: 0 valid, 1 invalid\n`,
        },
      },
      {
        given: { major: '1', minor: '36', gitVersion: 'v1.36.0' },
        want: { code: 0, stdout: '1 object in 1 file: 1 valid, 0 invalid\n' },
      },
      { given: undefined, want: { code: 0, stdout: '1 object in 1 file: 1 valid, 0 invalid\n' } },
    ]
    it.each(rows)('serverVersion $given', async ({ given, want }) => {
      const run = await validateIn(
        { 's.yaml': SERVICE, 'k8s-codegen.lock.json': lockfile(given) },
        ['s.yaml', '--specs-dir', join(recorded as string, 'v3')],
      )
      expect({ code: run.code, stdout: run.stdout }).toEqual(want)
    })
  },
)

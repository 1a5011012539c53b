// npm run demo: the whole product on a fresh machine, against an emulated kube-apiserver.
//   1. start the emulator (the recorded profile from ../shared/fixtures/kubernetes when present,
//      else the Kubernetes 1.13 profile; plus the example.dev CRD group) with a kubeconfig;
//   2. run the built `k8s-codegen fetch --kubeconfig <it> --out generated/` as a child process
//      (fetch locks the specs and generates the TypeScript);
//   3. type-check the quick-start consumer (test/consumer/demo) against generated/;
//   4. generate the example CRDs from their YAML alone (`generate --crds --emit js`, no cluster);
//   5. fetch core/v1 and apps/v1 again as JavaScript (`--emit js`, what a plain-Node app uses)
//      and drive @k8s-codegen/client with them and step 4's Widget (scripts/_demo-client.js):
//      create, watch, scale and delete a Deployment and a custom resource;
//   6. print a short summary and stop the emulator.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import { recordedProfileDir, startApiServer } from '@k8s-codegen/testkit'

import { clientTour } from './_demo-client.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'packages', 'cli', 'dist', 'bin.js')
const out = join(root, 'generated')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

// The emulator runs in this process, so children are awaited, never run synchronously.
function run(args, options = {}) {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      args,
      { cwd: root, maxBuffer: 64 << 20, timeout: 300_000, ...options },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
        }),
    )
    child.stdin?.end()
  })
}

const started = performance.now()
const recorded = recordedProfileDir()
const profile = recorded === undefined ? 'kubernetes-1.13' : 'recorded'
if (recorded === undefined) {
  console.warn(
    'demo: ../shared/fixtures/kubernetes is absent, using the built-in Kubernetes 1.13 profile',
  )
}
const scratch = await mkdtemp(join(tmpdir(), 'k8s-codegen-demo-'))
const server = await startApiServer({ profile, exampleCrds: true })
let failed = false
try {
  const kubeconfig = await server.kubeconfig(join(scratch, 'kubeconfig'))
  console.log(
    `demo: emulated kube-apiserver (${profile} profile + example.dev/v1) at ${server.url}`,
  )

  const fetchStarted = performance.now()
  const fetched = await run([
    bin,
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--out',
    out,
    '--lockfile',
    join(out, 'k8s-codegen.lock.json'),
  ])
  const fetchMs = performance.now() - fetchStarted
  process.stderr.write(fetched.stderr)
  if (fetched.code !== 0)
    throw new Error(`k8s-codegen fetch exited ${fetched.code}:\n${fetched.stdout}`)
  process.stdout.write(`${fetched.stdout.trimEnd().replace(/^/gm, '  ')}\n`)
  const summary = /(\d+) group-versions, (\d+) resources, (\d+) files/.exec(fetched.stdout)
  if (summary === null)
    throw new Error(`k8s-codegen fetch printed no generation summary:\n${fetched.stdout}`)

  const tscStarted = performance.now()
  // The 1.13 profile serves OpenAPI v2 only, where the CRD group is not published.
  const withCrd = existsSync(join(out, 'example.dev', 'v1.ts'))
  const project = withCrd ? 'tsconfig.demo-crd.json' : 'tsconfig.demo.json'
  const checked = await run([tsc, '-p', join(root, 'test', 'consumer', project)])
  const tscMs = performance.now() - tscStarted
  if (checked.code !== 0)
    throw new Error(
      `the quick-start consumer does not type-check against generated/:\n${checked.stdout}${checked.stderr}`,
    )

  // The same kind of output from CRD YAML alone: no cluster, no kubeconfig, no lockfile; as
  // JavaScript, since step 5 runs it.
  const crdsStarted = performance.now()
  const fromYaml = await run(
    [
      bin,
      'generate',
      '--crds',
      join(root, 'packages', 'openapi', 'test', 'fixtures', 'crds'),
      '--emit',
      'js',
      '--out',
      join(scratch, 'from-yaml', 'k8s'),
      // The lockfile defaults to the project root (the repository): keep it in the scratch dir.
      '--lockfile',
      join(scratch, 'from-yaml', 'k8s-codegen.lock.json'),
    ],
    { env: { ...process.env, K8S_CODEGEN_CACHE_DIR: join(scratch, 'cache') } },
  )
  const crdsMs = performance.now() - crdsStarted
  if (fromYaml.code !== 0)
    throw new Error(`k8s-codegen generate --crds exited ${fromYaml.code}:\n${fromYaml.stderr}`)
  process.stdout.write(`${fromYaml.stdout.trimEnd().replace(/^/gm, '  ')}\n`)

  // The scratch directory is a plain-Node app: the generated JavaScript imports the runtime
  // package, installed beside it as an app would have it.
  const clientStarted = performance.now()
  await mkdir(join(scratch, 'node_modules', '@k8s-codegen'), { recursive: true })
  await symlink(
    join(root, 'packages', 'runtime'),
    join(scratch, 'node_modules', '@k8s-codegen', 'runtime'),
  )
  const app = join(scratch, 'app', 'k8s')
  const fetchedJs = await run([
    bin,
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--include',
    'core/v1',
    '--include',
    'apps/v1',
    '--emit',
    'js',
    '--out',
    app,
    '--lockfile',
    join(scratch, 'app', 'k8s-codegen.lock.json'),
  ])
  if (fetchedJs.code !== 0)
    throw new Error(`k8s-codegen fetch --emit js exited ${fetchedJs.code}:\n${fetchedJs.stderr}`)
  process.stdout.write(`${fetchedJs.stdout.trimEnd().replace(/^/gm, '  ')}\n`)
  console.log('demo: @k8s-codegen/client against the emulator, typed by the generated descriptors')
  await clientTour({
    kubeconfig,
    modules: {
      core: join(app, 'core', 'v1.js'),
      apps: join(app, 'apps', 'v1.js'),
      crd: join(scratch, 'from-yaml', 'k8s', 'example.dev', 'v1.js'),
    },
    log: (line) => console.log(line),
  })
  const clientMs = performance.now() - clientStarted

  const [, groupVersions, resources, files] = summary
  console.log(
    `demo: ${groupVersions} group-versions, ${resources} resources, ${files} files in ${relative(root, out)}/ · fetch+generate ${(fetchMs / 1000).toFixed(2)} s · consumer (${withCrd ? 'core, apps, example.dev' : 'core, apps'}) type-checks in ${(tscMs / 1000).toFixed(2)} s · example CRDs from YAML ${(crdsMs / 1000).toFixed(2)} s · client tour (fetch --emit js included) ${(clientMs / 1000).toFixed(2)} s · total ${((performance.now() - started) / 1000).toFixed(2)} s`,
  )
} catch (error) {
  failed = true
  console.error(`demo: FAILED — ${error instanceof Error ? error.message : String(error)}`)
} finally {
  await server.close()
  await rm(scratch, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0

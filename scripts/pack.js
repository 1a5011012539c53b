// npm run pack: every package of packages/ as a tarball in dist-packages/ (or --out-dir <dir>),
// installable in any project from a checkout, before anything is published.
//
// A tarball from `npm pack` names its siblings by version (`"@k8s-codegen/cluster": "0.1.0"`),
// which npm looks up in the registry (E404 until they are published). Each tarball here names
// them as `file:./<sibling>.tgz` instead: npm resolves a `file:` spec of a tarball's dependency
// relative to the tarball itself, so `npm install <dir>/k8s-codegen-client-0.1.0.tgz` pulls
// cluster, proxy-url and runtime from the same directory, and `npm install <dir>/*.tgz` installs
// them all. The repacking goes through `npm pack` again (npm's own file list and tar format).
// @k8s-codegen/testkit is private (never published) and packed too, for your tests.
//
// The packages must be built (`npm run pack` builds them first).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } })
const outDir = resolve(values['out-dir'] ?? join(root, 'dist-packages'))
const dependencyFields = ['dependencies', 'optionalDependencies', 'peerDependencies']

// One `npm pack` for many directories (npm starts once): its `--json` answers
// [{ filename, … }] in their order; npm's own notices go to stderr, kept quiet.
function npmPack(dirs, destination) {
  const output = execFileSync(
    'npm',
    ['pack', ...dirs, '--json', '--ignore-scripts', '--pack-destination', destination],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return JSON.parse(output).map((packed) => packed.filename)
}

const packagesDir = join(root, 'packages')
const packages = readdirSync(packagesDir)
  .sort()
  .map((name) => {
    const dir = join(packagesDir, name)
    return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }
  })

const scratch = mkdtempSync(join(tmpdir(), 'k8s-codegen-pack-'))
try {
  const plain = join(scratch, 'plain')
  mkdirSync(plain)
  const filenames = npmPack(
    packages.map((p) => p.dir),
    plain,
  )
  const tarballOf = new Map(packages.map((p, i) => [p.manifest.name, filenames[i]]))

  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  const unpackedDirs = []
  for (const filename of tarballOf.values()) {
    const unpacked = join(scratch, 'unpacked', filename)
    mkdirSync(unpacked, { recursive: true })
    execFileSync('tar', ['-xzf', join(plain, filename), '-C', unpacked])
    const manifestPath = join(unpacked, 'package', 'package.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
    for (const field of dependencyFields) {
      for (const dependency of Object.keys(manifest[field] ?? {})) {
        const sibling = tarballOf.get(dependency)
        if (sibling !== undefined) manifest[field][dependency] = `file:./${sibling}`
      }
    }
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
    unpackedDirs.push(join(unpacked, 'package'))
  }
  const repacked = npmPack(unpackedDirs, outDir)
  if (repacked.join() !== [...tarballOf.values()].join())
    throw new Error(`repacked as ${repacked.join(', ')}, not ${[...tarballOf.values()].join(', ')}`)
  console.log(`pack: ${tarballOf.size} packages in ${outDir}`)
  console.log(`  install them in another project: npm install ${join(outDir, '*.tgz')}`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

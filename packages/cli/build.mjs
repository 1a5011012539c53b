// Bundles the CLI (`npm run build` runs it after tsc has emitted the library entry): src/bin.ts
// with yargs, undici and the workspace packages into dist/bin.js and dist/chunks/ (one chunk per
// `import()` split point), so a start compiles a few files instead of resolving a few hundred.
// The generator (`@k8s-codegen/codegen`, with TypeScript), the shipped schemas and the config
// loader stay ordinary packages, loaded only by the commands that need them. The cluster client
// (`@k8s-codegen/cluster` with undici and the kubeconfig's YAML parser) is a CommonJS bundle of its
// own, dist/chunks/cluster.cjs, that the commands run through a V8 code cache (src/code-cache.ts).
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { builtCodeIdentity, CODE_IDENTITY_FILE } from '@k8s-codegen/openapi'
import { build } from 'esbuild'

const RGI_EMOJI = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;'

/**
 * An esbuild plugin that makes string-width build its `\p{RGI_Emoji}` expression on first use.
 * V8 expands that property of strings (every RGI emoji sequence) when it parses the literal, not
 * when it first matches: about 13 ms of every start of the CLI (`new vm.Script` of the line
 * alone), where string-width only measures help text, which is ASCII and returns before any
 * expression. A string-width whose source no longer holds the literal, used once as
 * `rgiEmojiRegex.test(…)`, fails the build rather than being bundled unchanged.
 *
 * @example
 * await build({ entryPoints: ['src/bin.ts'], bundle: true, plugins: [rgiEmojiOnFirstUse] })
 */
export const rgiEmojiOnFirstUse = {
  name: 'rgi-emoji-on-first-use',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      if (
        source.split(RGI_EMOJI).length !== 2 ||
        source.split('rgiEmojiRegex').length !== 3 ||
        !source.includes('rgiEmojiRegex.test(')
      )
        throw new Error(
          `${path}: expected string-width to declare '${RGI_EMOJI}' and use it once as rgiEmojiRegex.test(…); review the rgi-emoji-on-first-use plugin in packages/cli/build.mjs for this version`,
        )
      const lazy =
        "let rgiEmojiPattern; const rgiEmojiRegex = { test: (text) => (rgiEmojiPattern ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text) };"
      return { contents: source.replace(RGI_EMOJI, () => lazy), loader: 'js' }
    })
  },
}

/**
 * An esbuild plugin that makes the bundle's `@k8s-codegen/cluster` a module that runs
 * `cluster.cjs` (beside the chunk that holds it) through the V8 code cache of
 * `src/code-cache.ts`, with the package's exports (`names`). Source imports of the package stay
 * as they are, so tests that run the sources load the package itself.
 *
 * @example
 * await build({ entryPoints: ['src/bin.ts'], bundle: true, plugins: [clusterCodeCached(names)] })
 */
export function clusterCodeCached(names) {
  const codeCache = fileURLToPath(new URL('src/code-cache.ts', import.meta.url))
  return {
    name: 'cluster-code-cached',
    setup(esbuild) {
      esbuild.onResolve({ filter: /^@k8s-codegen\/cluster$/ }, ({ kind }) => {
        if (kind !== 'dynamic-import')
          throw new Error(
            `@k8s-codegen/cluster is imported statically (${kind}); the CLI loads it lazily, through src/code-cache.ts (packages/cli/build.mjs)`,
          )
        return { path: 'cluster', namespace: 'cluster-code-cached' }
      })
      esbuild.onLoad({ filter: /.*/, namespace: 'cluster-code-cached' }, () => ({
        contents: [
          "import { fileURLToPath } from 'node:url'",
          `import { codeCacheDir, runCodeCached } from ${JSON.stringify(codeCache)}`,
          "const file = fileURLToPath(new URL('./cluster.cjs', import.meta.url))",
          'const cluster = runCodeCached(file, codeCacheDir())',
          `export const { ${names.join(', ')} } = cluster`,
        ].join('\n'),
        loader: 'js',
        resolveDir: dirname(codeCache),
      }))
    },
  }
}

/**
 * An esbuild plugin for a CommonJS bundle: `specifier` (imported statically or with `import()`)
 * becomes a `require(file)` of a file beside the bundle, made when first needed, instead of being
 * bundled in (nor left an `import()`, which a script run from a V8 code cache cannot make).
 *
 * @example
 * await build({ format: 'cjs', plugins: [requiredBeside('socks', './socks.cjs')] })
 */
export function requiredBeside(specifier, file) {
  const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
  return {
    name: 'required-beside',
    setup(esbuild) {
      esbuild.onResolve({ filter }, () => ({ path: specifier, namespace: 'required-beside' }))
      esbuild.onResolve({ filter: /.*/, namespace: 'required-beside' }, ({ path }) => ({
        path,
        external: true,
      }))
      esbuild.onLoad({ filter: /.*/, namespace: 'required-beside' }, () => ({
        contents: `module.exports = require(${JSON.stringify(file)})`,
        loader: 'js',
      }))
    },
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('.', import.meta.url))
  const node = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Node 20's V8 has the v flag; esbuild's node20 table does not, and would rewrite each such
    // literal as a `new RegExp(…)` run at load.
    supported: { 'regexp-set-notation': true },
    logLevel: 'warning',
  }
  // The cluster client: a script V8 can cache. Its SOCKS client, which only a SOCKS5 proxy needs,
  // is a CommonJS bundle of its own that cluster.cjs requires on the first dial.
  const clusterEntry = fileURLToPath(import.meta.resolve('@k8s-codegen/cluster'))
  const cluster = await build({
    ...node,
    entryPoints: [clusterEntry],
    format: 'cjs',
    outfile: 'dist/chunks/cluster.cjs',
    metafile: true,
    plugins: [requiredBeside('socks', './socks.cjs')],
  })
  await build({
    ...node,
    entryPoints: [fileURLToPath(import.meta.resolve('socks', pathToFileURL(clusterEntry)))],
    format: 'cjs',
    outfile: 'dist/chunks/socks.cjs',
  })
  const clusterText = await readFile(join(root, 'dist/chunks/cluster.cjs'), 'utf8')
  // A script run from a code cache has no `import()` (Node 20 drops its callback with the cache)
  // and no `import.meta`: the bundle must need neither.
  if (/\bimport\(|import\.meta/.test(clusterText.replace(/\/\/.*|\/\*[^]*?\*\//g, '')))
    throw new Error(
      `dist/chunks/cluster.cjs holds an import() or import.meta (${Object.keys(cluster.metafile.inputs).length} modules); review packages/cli/build.mjs`,
    )
  const clusterNames = Object.keys(await import(pathToFileURL(clusterEntry).href)).filter(
    (name) => name !== 'default',
  )
  const main = await build({
    ...node,
    entryPoints: ['src/bin.ts'],
    splitting: true,
    format: 'esm',
    // One string-width (the newest) for yargs, cliui and wrap-ansi instead of three copies.
    alias: { 'string-width': 'string-width' },
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    external: ['@k8s-codegen/codegen', 'jiti', '@k8s-codegen/kube-schemas'],
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    metafile: true,
    plugins: [rgiEmojiOnFirstUse, clusterCodeCached(clusterNames)],
  })
  // The module that runs cluster.cjs finds it beside its own chunk.
  const runner = Object.entries(main.metafile.outputs).find(
    ([, output]) => output.inputs['cluster-code-cached:cluster'] !== undefined,
  )?.[0]
  if (runner === undefined || !runner.startsWith('dist/chunks/'))
    throw new Error(
      `the module that runs cluster.cjs was bundled into ${runner ?? 'nothing'}, not dist/chunks/; review packages/cli/build.mjs`,
    )
  // The converter's identity (openapi converterId: a hash of every chunk and entry point), for
  // a run to read instead of hashing ~3 MB of chunks each time.
  const dist = join(root, 'dist')
  await writeFile(join(dist, CODE_IDENTITY_FILE), builtCodeIdentity(join(dist, 'chunks')))
}

// Bundles the CLI (`npm run build` runs it after tsc has emitted the library entry): src/bin.ts
// with yargs, undici and the workspace packages into dist/bin.js and dist/chunks/ (one chunk per
// `import()` split point), so a start compiles a few files instead of resolving a few hundred;
// the print pool's worker into dist/generation-worker.js.
// The generator (`@k8s-codegen/codegen`, with TypeScript), the shipped schemas and the config
// loader stay ordinary packages, loaded only by the commands that need them. The argument parser
// (yargs), the cluster client (`@k8s-codegen/cluster` with undici and the kubeconfig's YAML
// parser) and the locks (proper-lockfile) are CommonJS bundles of their own in dist/chunks/*.cjs
// that the CLI runs through a V8 code cache (src/code-cache.ts).
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { builtCodeIdentity, CODE_IDENTITY_FILE } from '@k8s-codegen/openapi'
import { build } from 'esbuild'

const RGI_EMOJI = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;'
const SEGMENTER = 'const segmenter = new Intl.Segmenter();'

// The code of a module without its comments.
const withoutComments = (source) => source.replace(/\/\/.*|\/\*[^]*?\*\//g, '')

/**
 * An esbuild plugin that makes string-width build its `\p{RGI_Emoji}` expression and its
 * `Intl.Segmenter` on first use. V8 expands that property of strings (every RGI emoji sequence)
 * when it parses the literal, not when it first matches: about 13 ms of every start of the CLI
 * (`new vm.Script` of the line alone); ICU loads its break-iteration data to make a segmenter,
 * about 10 ms more. string-width only measures help text, which is ASCII and returns before
 * either is used. A string-width whose source no longer holds the literal and the segmenter,
 * used once each as `rgiEmojiRegex.test(…)` and `segmenter.segment(…)`, fails the build rather
 * than being bundled unchanged.
 *
 * @example
 * await build({ entryPoints: ['src/bin.ts'], bundle: true, plugins: [stringWidthOnFirstUse] })
 */
export const stringWidthOnFirstUse = {
  name: 'string-width-on-first-use',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      const code = withoutComments(source)
      if (
        source.split(RGI_EMOJI).length !== 2 ||
        source.split('rgiEmojiRegex').length !== 3 ||
        !source.includes('rgiEmojiRegex.test(') ||
        source.split(SEGMENTER).length !== 2 ||
        (code.match(/\bsegmenter\b/g) ?? []).length !== 2 ||
        !code.includes('segmenter.segment(')
      )
        throw new Error(
          `${path}: expected string-width to declare '${RGI_EMOJI}' and '${SEGMENTER}' and use them once each as rgiEmojiRegex.test(…) and segmenter.segment(…); review the string-width-on-first-use plugin in packages/cli/build.mjs for this version`,
        )
      const lazyRegex =
        "let rgiEmojiPattern; const rgiEmojiRegex = { test: (text) => (rgiEmojiPattern ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text) };"
      const lazySegmenter =
        'let segmenterInstance; const segmenter = { segment: (text) => (segmenterInstance ??= new Intl.Segmenter()).segment(text) };'
      return {
        contents: source
          .replace(RGI_EMOJI, () => lazyRegex)
          .replace(SEGMENTER, () => lazySegmenter),
        loader: 'js',
      }
    })
  },
}

const HTTP2_REQUIRE = `let http2
try {
  http2 = require('node:http2')
} catch {
  // @ts-ignore
  http2 = { constants: {} }
}`
// The constants undici's HTTP/2 client destructures from node:http2 when it loads: RFC 9113's
// pseudo-header and header names and error codes (REFUSED_STREAM 0x7, CANCEL 0x8, section 7).
const HTTP2_CONSTANTS = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
}

/**
 * An esbuild plugin that makes undici's HTTP/2 client load `node:http2` on its first HTTP/2
 * connection (`http2.connect`) instead of when the client loads: the cluster client never asks
 * for HTTP/2 (undici's `allowH2` is off), and node:http2 with its compat layer is a few ms of
 * every start. Its constants are the values node:http2 has (checked here against the node that
 * builds). A client-h2.js that loads or uses node:http2 otherwise fails the build rather than
 * being bundled unchanged.
 *
 * @example
 * await build({ entryPoints: ['src/index.ts'], bundle: true, plugins: [http2OnFirstUse] })
 */
export const http2OnFirstUse = {
  name: 'http2-on-first-use',
  setup(esbuild) {
    esbuild.onLoad(
      { filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/ },
      async ({ path }) => {
        const source = await readFile(path, 'utf8')
        const { constants } = await import('node:http2')
        const names = Object.keys(HTTP2_CONSTANTS)
        // The code besides the require, without comments (JSDoc types name node:http2 too).
        const code = withoutComments(source.replace(HTTP2_REQUIRE, ''))
        const uses = code.match(/(?<![\w$.:'"])http2\b(?![\w$'"])/g) ?? []
        if (
          source.split(HTTP2_REQUIRE).length !== 2 ||
          code.includes('node:http2') ||
          uses.length !== 2 ||
          code.split('} = http2\n').length !== 2 ||
          code.split('http2.connect(').length !== 2 ||
          names.some((name) => constants[name] !== HTTP2_CONSTANTS[name]) ||
          [...code.matchAll(/\b(?:HTTP2|NGHTTP2)_[A-Z_]+/g)].some(([name]) => !names.includes(name))
        )
          throw new Error(
            `${path}: expected undici's HTTP/2 client to require node:http2 once, destructure known constants from it and use it only as http2.connect(…); review the http2-on-first-use plugin in packages/cli/build.mjs for this version`,
          )
        const lazy = [
          'let http2Module',
          'const http2 = {',
          "  connect: (...args) => (http2Module ??= require('node:http2')).connect(...args),",
          `  constants: ${JSON.stringify(HTTP2_CONSTANTS)},`,
          '}',
        ].join('\n')
        return { contents: source.replace(HTTP2_REQUIRE, () => lazy), loader: 'js' }
      },
    )
  },
}

/**
 * An esbuild plugin that makes the bundle's `specifier` a module that runs the CommonJS bundle
 * `script` (a path relative to the output file that holds the module: the build checks it)
 * through the V8 code cache of `src/code-cache.ts`, and exports its `names` (`default` too: the
 * whole module.exports of a `commonJs` package). Source imports of the package stay as they are,
 * so tests that run the sources load it itself. `kinds`: how the CLI may import it (the cluster
 * client only lazily).
 *
 * @example
 * await build({ entryPoints: ['src/bin.ts'], bundle: true, plugins: [codeCached({ specifier: 'yargs', script: './yargs.cjs', names: ['default'], kinds: ['import-statement'] })] })
 */
export function codeCached({ specifier, script, names, kinds, commonJs = false }) {
  const codeCache = fileURLToPath(new URL('src/code-cache.ts', import.meta.url))
  const filter = new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)
  return {
    name: 'code-cached',
    setup(esbuild) {
      esbuild.onResolve({ filter }, ({ kind }) => {
        if (!kinds.includes(kind))
          throw new Error(
            `${specifier} is imported as ${kind}, not ${kinds.join(' or ')}: it runs through src/code-cache.ts from ${script} (packages/cli/build.mjs)`,
          )
        return { path: specifier, namespace: 'code-cached' }
      })
      esbuild.onLoad({ filter, namespace: 'code-cached' }, () => ({
        contents: [
          "import { fileURLToPath } from 'node:url'",
          `import { codeCacheDir, codeCacheVariant, runCodeCached } from ${JSON.stringify(codeCache)}`,
          `const file = fileURLToPath(new URL(${JSON.stringify(script)}, import.meta.url))`,
          'const loaded = runCodeCached(file, codeCacheDir(), codeCacheVariant(process.argv))',
          // `default` of a CommonJS package is its module.exports, as Node imports it.
          ...names.map((name) =>
            name === 'default'
              ? `export default ${commonJs ? 'loaded' : 'loaded.default'}`
              : `export const ${name} = loaded.${name}`,
          ),
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
  await build({
    ...node,
    entryPoints: [clusterEntry],
    format: 'cjs',
    outfile: 'dist/chunks/cluster.cjs',
    // A built-in the client loads when first needed (child_process, for an exec plugin) is an
    // `import()` in its source: a `require` here, made at that moment.
    supported: { ...node.supported, 'dynamic-import': false },
    plugins: [requiredBeside('socks', './socks.cjs'), http2OnFirstUse],
  })
  await build({
    ...node,
    entryPoints: [fileURLToPath(import.meta.resolve('socks', pathToFileURL(clusterEntry)))],
    format: 'cjs',
    outfile: 'dist/chunks/socks.cjs',
  })
  // The argument parser (with cliui, y18n and the one string-width), likewise: ESM only, so its
  // platform shim's `import.meta.url` becomes the script's own URL.
  const yargsEntry = fileURLToPath(import.meta.resolve('yargs'))
  await build({
    ...node,
    entryPoints: [yargsEntry],
    format: 'cjs',
    outfile: 'dist/chunks/yargs.cjs',
    alias: { 'string-width': 'string-width' },
    define: { 'import.meta.url': '__scriptUrl' },
    banner: { js: "var __scriptUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [stringWidthOnFirstUse],
  })
  // The locks every fetch and generate takes (proper-lockfile, with graceful-fs, retry and
  // signal-exit).
  await build({
    ...node,
    entryPoints: [fileURLToPath(import.meta.resolve('proper-lockfile'))],
    format: 'cjs',
    outfile: 'dist/chunks/proper-lockfile.cjs',
  })
  // A script run from a code cache has no `import()` (Node 20 drops its callback with the cache)
  // and no `import.meta`: the bundles must need neither.
  for (const script of ['cluster.cjs', 'yargs.cjs', 'proper-lockfile.cjs']) {
    const text = await readFile(join(root, 'dist/chunks', script), 'utf8')
    if (/\bimport\(|import\.meta/.test(withoutComments(text)))
      throw new Error(
        `dist/chunks/${script} holds an import() or import.meta; review packages/cli/build.mjs`,
      )
  }
  const clusterNames = Object.keys(await import(pathToFileURL(clusterEntry).href)).filter(
    (name) => name !== 'default',
  )
  const main = await build({
    ...node,
    // The print pool's worker (print-pool.ts) is an entry of its own, beside bin.js.
    entryPoints: ['src/bin.ts', 'src/generation-worker.ts'],
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
    plugins: [
      stringWidthOnFirstUse,
      codeCached({
        specifier: '@k8s-codegen/cluster',
        script: './cluster.cjs',
        names: clusterNames,
        kinds: ['dynamic-import'],
      }),
      codeCached({
        specifier: 'yargs',
        script: './yargs.cjs',
        names: ['default'],
        kinds: ['import-statement'],
      }),
      codeCached({
        specifier: 'proper-lockfile',
        script: './proper-lockfile.cjs',
        names: ['default'],
        kinds: ['dynamic-import'],
        commonJs: true,
      }),
    ],
  })
  // Each module that runs a script finds it where its own output file says.
  for (const [specifier, script] of [
    ['@k8s-codegen/cluster', './cluster.cjs'],
    ['yargs', './yargs.cjs'],
    ['proper-lockfile', './proper-lockfile.cjs'],
  ]) {
    const output = Object.entries(main.metafile.outputs).find(
      ([, o]) => o.inputs[`code-cached:${specifier}`] !== undefined,
    )?.[0]
    if (output === undefined || !existsSync(join(root, dirname(output), script)))
      throw new Error(
        `the module that runs ${script} for ${specifier} was bundled into ${output ?? 'nothing'}, which does not find it there; review packages/cli/build.mjs`,
      )
  }
  // The converter's identity (openapi converterId: a hash of every chunk and entry point), for
  // a run to read instead of hashing ~3 MB of chunks each time.
  const dist = join(root, 'dist')
  await writeFile(join(dist, CODE_IDENTITY_FILE), builtCodeIdentity(join(dist, 'chunks')))
}

// Bundles the CLI (`npm run build` runs it after tsc has emitted the library entry): src/bin.ts
// with yargs, undici and the workspace packages into dist/bin.js and dist/chunks/ (one chunk per
// `import()` split point), so a start compiles a few files instead of resolving a few hundred;
// the print pool's worker into dist/generation-worker.js.
// The generator (`@k8s-codegen/codegen`, with TypeScript), the shipped schemas and the config
// loader stay ordinary packages, loaded only by the commands that need them.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('.', import.meta.url))
  await build({
    absWorkingDir: root,
    // The print pool's worker (print-pool.ts) is an entry of its own, beside bin.js.
    entryPoints: ['src/bin.ts', 'src/generation-worker.ts'],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node 20's V8 has the v flag; esbuild's node20 table does not, and would rewrite each such
    // literal as a `new RegExp(…)` run at load.
    supported: { 'regexp-set-notation': true },
    // One string-width (the newest) for yargs, cliui and wrap-ansi instead of three copies.
    alias: { 'string-width': 'string-width' },
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    external: ['@k8s-codegen/codegen', 'jiti', '@k8s-codegen/kube-schemas'],
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [rgiEmojiOnFirstUse],
  })
  // The converter's identity (openapi converterId: a hash of every chunk and entry point), for
  // a run to read instead of hashing ~3 MB of chunks each time.
  const dist = join(root, 'dist')
  await writeFile(join(dist, CODE_IDENTITY_FILE), builtCodeIdentity(join(dist, 'chunks')))
}

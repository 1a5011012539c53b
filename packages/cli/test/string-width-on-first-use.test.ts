import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { build, type Plugin } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// V8 expands `/^\p{RGI_Emoji}$/v` (every RGI emoji sequence) when it parses the literal, and ICU
// loads its break-iteration data for `new Intl.Segmenter()`, on every start of the CLI; the build
// makes string-width build both on first use. The bundled string-width must still measure what
// the package itself measures (yargs' string-width, bundled as is).
const CLI = fileURLToPath(new URL('..', import.meta.url))
const LITERAL = '/^\\p{RGI_Emoji}$/v'
const SEGMENTER = 'new Intl.Segmenter()'

type StringWidth = (text: string) => number

let dir: string
let source: string
let bundled: StringWidth
let stringWidth: StringWidth

/** string-width bundled as the CLI bundles it, with `plugins`: its source and its function. */
async function bundle(name: string, plugins: Plugin[]): Promise<[string, StringWidth]> {
  const result = await build({
    stdin: { contents: "export { default } from 'string-width'", resolveDir: CLI },
    bundle: true,
    format: 'esm',
    platform: 'node',
    supported: { 'regexp-set-notation': true },
    write: false,
    plugins,
  })
  const text = result.outputFiles[0]?.text ?? ''
  await writeFile(join(dir, name), text)
  const module = (await import(pathToFileURL(join(dir, name)).href)) as { default: StringWidth }
  return [text, module.default]
}

beforeAll(async () => {
  const { stringWidthOnFirstUse } = (await import(pathToFileURL(join(CLI, 'build.mjs')).href)) as {
    stringWidthOnFirstUse: Plugin
  }
  dir = await mkdtemp(join(tmpdir(), 'cli-string-width-'))
  ;[source, bundled] = await bundle('lazy.mjs', [stringWidthOnFirstUse])
  ;[, stringWidth] = await bundle('as-is.mjs', [])
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('string-width in the CLI bundle', () => {
  // yargs (with string-width) runs from the script dist/chunks/yargs.cjs (build.mjs).
  it('holds no \\p{RGI_Emoji} literal and makes no segmenter as it loads, in the plugin output and in the built CLI', async () => {
    expect(source).toContain('RGI_Emoji')
    expect(source).not.toContain(LITERAL)
    const built = await readFile(join(CLI, 'dist', 'chunks', 'yargs.cjs'), 'utf8')
    expect(built).toContain('RGI_Emoji')
    expect(built).not.toContain(LITERAL)
    for (const text of [source, built]) {
      expect(text.split(SEGMENTER)).toHaveLength(2)
      expect(text).toContain(`(segmenterInstance ??= ${SEGMENTER})`)
    }
  })

  it('fails the build for a string-width that no longer declares the literal and the segmenter', async () => {
    const fake = join(dir, 'fake')
    await mkdir(join(fake, 'node_modules', 'string-width'), { recursive: true })
    await writeFile(
      join(fake, 'node_modules', 'string-width', 'index.js'),
      'export default (text) => text.length\n',
    )
    const { stringWidthOnFirstUse } = (await import(
      pathToFileURL(join(CLI, 'build.mjs')).href
    )) as {
      stringWidthOnFirstUse: Plugin
    }
    await expect(
      build({
        stdin: { contents: "export { default } from 'string-width'", resolveDir: fake },
        bundle: true,
        write: false,
        logLevel: 'silent',
        plugins: [stringWidthOnFirstUse],
      }),
    ).rejects.toThrow(/review the string-width-on-first-use plugin/)
  })

  it.each([
    { given: 'help text, ASCII', text: 'Generate typed Kubernetes bindings', want: 34 },
    { given: 'an RGI emoji', text: '👍', want: 2 },
    { given: 'an emoji ZWJ sequence', text: '👩‍💻', want: 2 },
    { given: 'a keycap sequence', text: '1️⃣', want: 2 },
    { given: 'a heart with VS16', text: '❤️', want: 2 },
    { given: 'CJK', text: '界面', want: 4 },
    { given: 'a combining mark', text: 'é', want: 1 },
  ])('measures $given as string-width does ($want)', ({ text, want }) => {
    expect([bundled(text), stringWidth(text)]).toEqual([want, want])
  })
})

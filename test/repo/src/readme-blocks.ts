// The code blocks of a README and what the README test does with each: run a shell block, type-check
// and run a TypeScript block, or what a `<!-- readme-test: … -->` marker right before the block
// says instead. Markdown is read with mdast-util-from-markdown (CommonMark), so fences inside
// lists, `~~~` fences and HTML comments are what a renderer sees.
import { fromMarkdown } from 'mdast-util-from-markdown'
import type { Nodes, Parents } from 'mdast'

/** How the README test treats a block: from its language, changed by a marker. */
export type BlockMode =
  | 'run' // shell: run with bash in the project; TypeScript: type-check, then run with node
  | 'typecheck-only' // TypeScript that is compiled with the others but never run
  | 'skip' // neither (a command for a checkout of this repository, a list of signatures)

/** One fenced code block of a README. */
export interface ReadmeBlock {
  /** 1-based line of the opening fence */
  line: number
  language: 'shell' | 'typescript' | 'text'
  code: string
  mode: BlockMode
  /** the marker's reason; required for `skip` and `typecheck-only` */
  reason?: string
  /** a named prelude (`with-client`) that declares what a fragment uses */
  prelude?: string
  /** a TypeScript block whose first line is `// <path>` is that file of the project */
  file?: string
}

/** A README the test cannot read as code blocks: names the line and the rule. */
export class ReadmeBlockError extends Error {
  override readonly name = 'ReadmeBlockError'
}

const languages: Record<string, ReadmeBlock['language']> = {
  sh: 'shell',
  bash: 'shell',
  shell: 'shell',
  ts: 'typescript',
  typescript: 'typescript',
  // output, a usage synopsis: shown, never run
  text: 'text',
}
// `<!-- readme-test: <mode>[, <mode>] — <reason> -->`
const markerPattern =
  /^<!--\s*readme-test:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*(?:[—–]|-\s)\s*([\s\S]*?)\s*-->$|^<!--\s*readme-test:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*-->$/
const preludes = new Set(['with-client'])

interface Marker {
  line: number
  modes: string[]
  reason: string | undefined
}
const filePattern = /^\/\/ ([\w./-]+\.(?:ts|mts))(?:\s|$)/

/**
 * Every fenced code block of `markdown`, in order, with its marker applied. Throws a
 * `ReadmeBlockError` for a block without a known language, a marker without a reason where one is
 * required, an unknown marker, or a marker that precedes no code block.
 *
 * @example
 * readmeBlocks('<!-- readme-test: skip — needs a checkout -->\n```sh\nnpm ci\n```\n')
 * // [{ line: 2, language: 'shell', code: 'npm ci', mode: 'skip', reason: 'needs a checkout' }]
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = []
  const visit = (parent: Parents): void => {
    let pending: Marker | undefined
    for (const node of parent.children) {
      const line = node.position?.start.line ?? 0
      if (node.type === 'html' && /^<!--\s*readme-test:/.test(node.value)) {
        if (pending !== undefined)
          throw new ReadmeBlockError(`line ${pending.line}: a readme-test marker before no block`)
        const match = markerPattern.exec(node.value.trim())
        if (match === null)
          throw new ReadmeBlockError(
            `line ${line}: a marker reads <!-- readme-test: <mode> — <reason> -->`,
          )
        const modes = (match[1] ?? match[3] ?? '').split(/\s*,\s*/)
        pending = { line, modes, reason: match[2] || undefined }
        continue
      }
      if (node.type === 'code') {
        blocks.push(block(node.lang ?? '', node.value, line, pending))
        pending = undefined
        continue
      }
      if (pending !== undefined)
        throw new ReadmeBlockError(`line ${pending.line}: a readme-test marker before no block`)
      if ('children' in node) visit(node)
    }
    if (pending !== undefined)
      throw new ReadmeBlockError(`line ${pending.line}: a readme-test marker before no block`)
  }
  visit(fromMarkdown(markdown) satisfies Nodes)
  return blocks
}

function block(lang: string, code: string, line: number, marker: Marker | undefined): ReadmeBlock {
  const language = Object.hasOwn(languages, lang) ? languages[lang] : undefined
  if (language === undefined)
    throw new ReadmeBlockError(
      `line ${line}: a code block needs a language the test knows (sh, ts, text), not ${JSON.stringify(lang)}`,
    )
  const file = language === 'typescript' ? filePattern.exec(code)?.[1] : undefined
  const result: ReadmeBlock = {
    line,
    language,
    code,
    mode: language === 'text' ? 'skip' : 'run',
    ...(file !== undefined && { file }),
  }
  if (marker === undefined) return result
  const { reason } = marker
  let annotated = result
  for (const mode of marker.modes) {
    if (mode === 'skip' || mode === 'typecheck-only') {
      if (reason === undefined)
        throw new ReadmeBlockError(`line ${marker.line}: readme-test: ${mode} needs a reason`)
      if (mode === 'typecheck-only' && language !== 'typescript')
        throw new ReadmeBlockError(`line ${marker.line}: typecheck-only is for TypeScript blocks`)
      annotated = { ...annotated, mode, reason }
    } else if (preludes.has(mode)) {
      if (language !== 'typescript')
        throw new ReadmeBlockError(`line ${marker.line}: ${mode} is for TypeScript blocks`)
      annotated = { ...annotated, prelude: mode, ...(reason !== undefined && { reason }) }
    } else {
      throw new ReadmeBlockError(
        `line ${marker.line}: unknown readme-test marker ${JSON.stringify(mode)} (skip, typecheck-only, ${[...preludes].join(', ')})`,
      )
    }
  }
  return annotated
}

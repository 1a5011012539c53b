// How the README test reads a README: code blocks, their language and the markers before them.
import { describe, expect, it } from 'vitest'

import { readmeBlocks, type ReadmeBlock } from '../src/readme-blocks.js'

const fence = (lang: string, code: string): string => `\`\`\`${lang}\n${code}\n\`\`\`\n`

describe('readmeBlocks', () => {
  it.each<{ given: string; want: Partial<ReadmeBlock>[] }>([
    {
      given: `# t\n\n${fence('sh', 'npx x')}`,
      want: [{ line: 3, language: 'shell', mode: 'run' }],
    },
    { given: fence('ts', 'const a = 1'), want: [{ language: 'typescript', mode: 'run' }] },
    { given: fence('text', 'usage: x'), want: [{ language: 'text', mode: 'skip' }] },
    {
      given: `<!-- readme-test: skip — needs a checkout -->\n\n${fence('sh', 'npm ci')}`,
      want: [{ line: 3, mode: 'skip', reason: 'needs a checkout' }],
    },
    {
      given: `<!-- readme-test: with-client, typecheck-only — runs forever -->\n${fence('ts', 'k8s')}`,
      want: [{ mode: 'typecheck-only', prelude: 'with-client', reason: 'runs forever' }],
    },
    {
      given: fence('ts', '// k8s-codegen.config.ts — checked\nexport default {}'),
      want: [{ file: 'k8s-codegen.config.ts', mode: 'run' }],
    },
    {
      given: `- item\n\n  ${fence('sh', 'npx y').replace(/\n(?=.)/g, '\n  ')}`,
      want: [{ line: 3, language: 'shell', code: 'npx y' }],
    },
  ])('$given', ({ given, want }) => {
    const blocks = readmeBlocks(given)
    expect(blocks).toHaveLength(want.length)
    blocks.forEach((block, i) => expect(block).toMatchObject(want[i] ?? {}))
  })

  it.each<{ given: string; want: RegExp }>([
    { given: fence('', 'x'), want: /needs a language/ },
    { given: fence('python', 'x'), want: /needs a language/ },
    { given: `<!-- readme-test: skip -->\n${fence('sh', 'x')}`, want: /skip needs a reason/ },
    {
      given: `<!-- readme-test: later — why -->\n${fence('sh', 'x')}`,
      want: /unknown readme-test marker/,
    },
    {
      given: `<!-- readme-test: typecheck-only — why -->\n${fence('sh', 'x')}`,
      want: /for TypeScript/,
    },
    { given: `<!-- readme-test: skip — why -->\n\ntext\n`, want: /before no block/ },
  ])('refuses $given', ({ given, want }) => {
    expect(() => readmeBlocks(given)).toThrow(want)
  })
})

// A description (or a deprecation warning) is server text printed into a JSDoc comment: it must
// neither end the comment (`*/`) nor become a tag TypeScript reads (a `@deprecated` line would
// strike the field through in every editor). TypeScript's JSDoc scanner starts a tag at an `@`
// at a line's start or after white space, outside backticks (typescript src/compiler/parser.ts
// parseJSDocCommentWorker, scanner.ts scanJsDocCommentTextToken); `\@` is text to it, and
// Markdown (an editor's hover) prints it as `@`. Rows read the generated file back with
// TypeScript's own parser, as an editor does.
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

import { generate } from '../src/index.js'
import { crdInputs, crdObject } from './_inputs.js'

/** The tags and the comment text of `Thing.spec`'s JSDoc, read back by TypeScript. */
function docOf(content: string, declaration: string, property?: string) {
  const file = ts.createSourceFile('m.ts', content, ts.ScriptTarget.Latest, true)
  const found = file.statements.find(
    (s): s is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(s) && s.name.text === declaration,
  )
  const node =
    property === undefined
      ? found
      : found?.members.find((m) => m.name !== undefined && m.name.getText() === property)
  if (node === undefined) throw new Error(`no ${declaration}.${property ?? ''}`)
  const [doc] = ts.getJSDocCommentsAndTags(node)
  return {
    statements: file.statements.length,
    tags: ts.getJSDocTags(node).map((tag) => tag.tagName.text),
    text: doc === undefined ? undefined : ts.getTextOfJSDocComment(doc.comment),
  }
}

async function generated(description: string, deprecationWarning?: string): Promise<string> {
  const crd = crdObject('example.dev', 'v1', 'Thing', {
    type: 'object',
    properties: { spec: { type: 'string', description } },
  })
  const version = (crd.spec as { versions: Record<string, unknown>[] }).versions[0]
  if (deprecationWarning !== undefined && version !== undefined)
    Object.assign(version, { deprecated: true, deprecationWarning })
  const { files } = await generate({ groupVersions: crdInputs([crd]), lockfileHash: 'x' })
  return files.get('example.dev/v1.ts') ?? ''
}

describe('a description in JSDoc', () => {
  it.each([
    { given: 'Plain text, kept as it is.', want: 'Plain text, kept as it is.' },
    {
      given: 'Line one.\n\nLine two: a@b.c, `@x`, a @ b.',
      want: 'Line one.\n\nLine two: a@b.c, `@x`, a @ b.',
    },
    {
      given: 'Ends */ export const pwned = 1 /* here',
      want: 'Ends *\\/ export const pwned = 1 /* here',
    },
    { given: 'Old field.\n@deprecated use b', want: 'Old field.\n\\@deprecated use b' },
    { given: 'Defaults to five.\n   @default 5', want: 'Defaults to five.\n   \\@default 5' },
    { given: '@see the docs', want: '\\@see the docs' },
    { given: 'Mail ops @example.com\tor\t@ops', want: 'Mail ops \\@example.com\tor\t\\@ops' },
    { given: '* @deprecated in a list', want: '* \\@deprecated in a list' },
    { given: 'a ``b @x`` c', want: 'a ``b \\@x`` c' },
    { given: 'a `b\n@x c` d', want: 'a `b\n\\@x c` d' },
    { given: 'two @@x', want: 'two \\@@x' },
  ])('$given', async ({ given, want }) => {
    const doc = docOf(await generated(given), 'Thing', 'spec')
    expect(doc.tags).toEqual([])
    expect(doc.text).toBe(want)
    // Nothing left the comment: the module's declarations only.
    expect(doc.statements).toBe(docOf(await generated('x'), 'Thing', 'spec').statements)
  })

  it('a deprecation warning is the text of the one @deprecated tag', async () => {
    const content = await generated('x', '@old is gone, use @new')
    const file = ts.createSourceFile('m.ts', content, ts.ScriptTarget.Latest, true)
    const tags = file.statements.flatMap((s) =>
      ts
        .getJSDocTags(s)
        .map((t) => `@${t.tagName.text} ${ts.getTextOfJSDocComment(t.comment) ?? ''}`),
    )
    expect(tags).toEqual([
      '@deprecated \\@old is gone, use \\@new',
      '@deprecated \\@old is gone, use \\@new',
    ])
  })
})

// The CEL field names of properties: k8s.io/apiserver pkg/cel/escaping_test.go TestEscaping
// (v0.37.2), its rows.
import { describe, expect, it } from 'vitest'
import { escapeFieldName } from '../../src/cel/values.js'

const reserved = ['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else']
const rows: { given: string; want: string | undefined }[] = [
  { given: 'a.a', want: 'a__dot__a' },
  { given: 'a-a', want: 'a__dash__a' },
  { given: 'a__a', want: 'a__underscores__a' },
  { given: 'a.-/__a', want: 'a__dot____dash____slash____underscores__a' },
  { given: 'a._a', want: 'a__dot___a' },
  { given: 'a__.__a', want: 'a__underscores____dot____underscores__a' },
  { given: 'a___a', want: 'a__underscores___a' },
  { given: 'a____a', want: 'a__underscores____underscores__a' },
  { given: 'a__dot__a', want: 'a__underscores__dot__underscores__a' },
  { given: 'a__underscores__a', want: 'a__underscores__underscores__underscores__a' },
  ...reserved.map((r) => ({ given: r, want: `__${r}__` })),
  { given: 'namespace', want: '__namespace__' },
  { given: '@', want: undefined },
  { given: '1up', want: undefined },
  { given: '👑', want: undefined },
  { given: 'a.b👑', want: undefined },
  { given: '', want: undefined },
  { given: 'plain_name', want: 'plain_name' },
]

describe('escapeFieldName', () => {
  it.each(rows)('$given', ({ given, want }) => {
    expect(escapeFieldName(given)).toBe(want)
  })
})

// Rows after apimachinery pkg/util/net/http_test.go TestParseWarningHeader(s), plus the header
// the apiserver sends for fieldValidation=Warn.
import { describe, expect, it } from 'vitest'

import { parseWarningHeaders, type Warning } from '../src/warnings.js'

const w = (text: string, code = 299, agent = '-'): Warning => ({ code, agent, text })

describe('parseWarningHeaders', () => {
  it.each<{ given: string[]; want: Warning[] }>([
    { given: [], want: [] },
    { given: [''], want: [] },
    { given: ['299'], want: [] },
    { given: ['299 -'], want: [] },
    { given: ['299 - ""'], want: [w('')] },
    { given: ['299 - "unknown field \\"spec.x\\""'], want: [w('unknown field "spec.x"')] },
    { given: ['  299 - "leading space"'], want: [w('leading space')] },
    { given: ['299 - "a" "Mon, 30 Nov 2026 07:00:00 GMT"'], want: [w('a')] },
    { given: ['299 - "a", 299 - "b"'], want: [w('a'), w('b')] },
    { given: ['299 - "a" "date", 199 agent/1.0 "b"'], want: [w('a'), w('b', 199, 'agent/1.0')] },
    { given: ['299 - "a"', '299 - "b"'], want: [w('a'), w('b')] },
    { given: ['299 - "back\\\\slash"'], want: [w('back\\slash')] },
    { given: ['2990 - "four digits"'], want: [] },
    { given: ['29 - "two digits"'], want: [] },
    { given: ['abc - "letters"'], want: [] },
    { given: ['299  "empty agent"'], want: [] },
    { given: ['299 - unquoted'], want: [] },
    { given: ['299 - "unterminated'], want: [] },
    { given: ['299 - "a" "unterminated date'], want: [] },
    { given: ['299 - "a" trailing'], want: [] },
    { given: ['299 - "control\u0007char"'], want: [] },
    { given: ['299 - "a", garbage', '299 - "c"'], want: [w('a'), w('c')] },
  ])('$given → $want.length warning(s)', ({ given, want }) => {
    expect(parseWarningHeaders(given)).toEqual(want)
  })
})

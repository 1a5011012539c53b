import { describe, expect, it } from 'vitest'

import { stripControl } from '../src/control-characters.js'

// Server strings reached stderr with terminal escape codes unfiltered; the client's errors too.
describe('stripControl', () => {
  it.each([
    { given: 'plain text', want: 'plain text' },
    { given: 'evil\u001b]0;pwned\u0007name', want: 'evil]0;pwnedname' },
    { given: 'clear\u001b[2J\u001b[Hscreen', want: 'clear[2J[Hscreen' },
    { given: 'back\rspace\u0008', want: 'backspace' },
    { given: 'c1\u009b31m', want: 'c131m' },
    { given: 'keeps\ttabs\nand newlines', want: 'keeps\ttabs\nand newlines' },
    { given: 'nul\u0000 and\u2028separators\u2029', want: 'nul andseparators' },
  ])('$given', ({ given, want }) => {
    expect(stripControl(given)).toBe(want)
  })
})

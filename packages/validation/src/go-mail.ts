// Go net/mail ParseAddress (net/mail/message.go addrParser), as strfmt default.go IsEmail uses it:
// one RFC 5322 address (`a@b`, `Name <a@b>`, `"quoted"@b`, `a@[::1]`, a group of one), with
// comments. Only whether it parses is kept; an encoded word (mime encodedword.go) matters only
// where its charset makes Go fail.
import { parseAddr } from './cel/library/netip.js'

class MailError extends Error {}
const fail = (message: string): never => {
  throw new MailError(message)
}

// message.go isVchar, isAtext, isQtext, isDtext, isWSP (on code points: Go reads runes).
const isVchar = (c: string) => (c >= '!' && c <= '~') || c.codePointAt(0)! >= 0x80
const isAtext = (c: string, dot: boolean) =>
  c === '.' ? dot : !'()<>[]:;@\\,"'.includes(c) && isVchar(c)
const isQtext = (c: string) => c !== '\\' && c !== '"' && isVchar(c)
const isDtext = (c: string) => c !== '[' && c !== ']' && c !== '\\' && isVchar(c)
const isWsp = (c: string) => c === ' ' || c === '\t'

// mime encodedword.go WordDecoder.Decode with net/mail's decoder (no CharsetReader): whether `s`
// is an encoded word whose charset Go cannot convert (the only case that fails a parse).
function unhandledCharset(word: string): boolean {
  const m = /^=\?([^?]*)\?([^?]*)\?([^?]*)\?=$/.exec(word)
  if (word.length < 8 || m === null || m[1] === '' || m[2]!.length !== 1) return false
  const [, charset, encoding, text] = m as unknown as [string, string, string, string]
  const decodes =
    encoding === 'B' || encoding === 'b'
      ? /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(
          text.replace(/[\r\n]/g, ''),
        )
      : (encoding === 'Q' || encoding === 'q') && /^(?:[ -<>-~\t\r\n]|=[0-9A-Fa-f]{2})*$/.test(text)
  // strings.EqualFold also folds U+017F (ſ) to s.
  const folded = charset.replaceAll('\u017f', 's').toLowerCase()
  return decodes && !['utf-8', 'iso-8859-1', 'us-ascii'].includes(folded)
}

class Parser {
  constructor(public s: string) {}

  skipSpace(): void {
    this.s = this.s.replace(/^[ \t]+/, '')
  }

  consume(c: string): boolean {
    if (!this.s.startsWith(c)) return false
    this.s = this.s.slice(1)
    return true
  }

  // message.go consumeComment: up to the matching `)`, `\` escaping one byte.
  consumeComment(): { comment: string; ok: boolean } {
    let depth = 1
    let comment = ''
    while (this.s !== '' && depth > 0) {
      if (this.s[0] === '\\' && this.s.length > 1) this.s = this.s.slice(1)
      else if (this.s[0] === '(') depth++
      else if (this.s[0] === ')') depth--
      if (depth > 0) comment += this.s[0]
      this.s = this.s.slice(1)
    }
    return { comment, ok: depth === 0 }
  }

  skipCfws(): boolean {
    this.skipSpace()
    while (this.consume('(')) {
      if (!this.consumeComment().ok) return false
      this.skipSpace()
    }
    return true
  }

  consumeQuotedString(): string {
    const chars = [...this.s]
    let text = ''
    let escaped = false
    for (let i = 1; ; i++) {
      const c = chars[i]
      if (c === undefined) fail('unclosed quoted-string')
      else if (escaped) {
        if (!isVchar(c) && !isWsp(c)) fail('bad character in quoted-string')
        text += c
        escaped = false
      } else if (isQtext(c) || isWsp(c)) text += c
      else if (c === '"') {
        this.s = chars.slice(i + 1).join('')
        return text
      } else if (c === '\\') escaped = true
      else fail('bad character in quoted-string')
    }
  }

  consumeAtom(dot: boolean, permissive: boolean): string {
    let atom = ''
    for (const c of this.s) {
      if (!isAtext(c, dot)) break
      atom += c
    }
    if (atom === '') fail('invalid string')
    this.s = this.s.slice(atom.length)
    if (!permissive && (atom.startsWith('.') || atom.includes('..') || atom.endsWith('.')))
      fail('dot in atom')
    return atom
  }

  consumeDomainLiteral(): string {
    this.consume('[')
    let text = ''
    for (const c of this.s) {
      if (c === ']') break
      if (!isDtext(c)) fail('bad character in domain-literal')
      text += c
    }
    this.s = this.s.slice(text.length)
    if (!this.consume(']')) fail('unclosed domain-literal')
    // net.ParseIP: netip.ParseAddr without a zone.
    if (parseAddr(text).zone !== '') fail('invalid IP address in domain-literal')
    return text
  }

  // message.go consumeAddrSpec: local-part `@` domain; on failure the text is as before.
  consumeAddrSpec(): boolean {
    const before = this.s
    try {
      this.skipSpace()
      if (this.s === '') fail('no addr-spec')
      if (this.s.startsWith('"')) {
        if (this.consumeQuotedString() === '') fail('empty quoted string in addr-spec')
      } else this.consumeAtom(true, false)
      if (!this.consume('@')) fail('missing @ in addr-spec')
      this.skipSpace()
      if (this.s === '') fail('no domain in addr-spec')
      if (this.s.startsWith('[')) this.consumeDomainLiteral()
      else this.consumeAtom(true, false)
      return true
    } catch (error) {
      this.s = before
      if (error instanceof Error) return false
      throw error
    }
  }

  // message.go consumePhrase: words (atoms, quoted strings, encoded words) up to the first that
  // does not parse; an error only when there is no word before it.
  consumePhrase(): void {
    let words = 0
    for (;;) {
      if (words > 0 && !this.skipCfws()) fail('misformatted parenthetical comment')
      this.skipSpace()
      if (this.s === '') break
      try {
        if (this.s.startsWith('"')) this.consumeQuotedString()
        else if (unhandledCharset(this.consumeAtom(true, true))) fail('charset not supported')
      } catch (error) {
        if (words === 0) throw error
        break
      }
      words++
    }
    if (words === 0) fail('missing word in phrase')
  }

  // message.go parseAddress: an addr-spec (and a display-name comment), or a phrase and then a
  // group (`name: addresses;`) or an angle-addr.
  parseAddress(handleGroup: boolean): number {
    this.skipSpace()
    if (this.s === '') fail('no address')
    if (this.consumeAddrSpec()) {
      this.skipSpace()
      if (this.consume('(')) {
        const { comment, ok } = this.consumeComment()
        if (!ok) fail('misformatted parenthetical comment')
        if (comment.split(/[ \t]+/).some(unhandledCharset)) fail('charset not supported')
      }
      return 1
    }
    if (!this.s.startsWith('<')) this.consumePhrase()
    this.skipSpace()
    if (handleGroup && this.consume(':')) return this.consumeGroupList()
    if (!this.consume('<')) fail('no angle-addr')
    if (!this.consumeAddrSpec()) fail('bad addr-spec in angle-addr')
    if (!this.consume('>')) fail('unclosed angle-addr')
    return 1
  }

  consumeGroupList(): number {
    this.skipSpace()
    if (this.consume(';')) {
      if (!this.skipCfws()) fail('misformatted parenthetical comment')
      return 0
    }
    let count = 0
    for (;;) {
      this.skipSpace()
      count += this.parseAddress(false)
      if (!this.skipCfws()) fail('misformatted parenthetical comment')
      if (this.consume(';')) {
        if (!this.skipCfws()) fail('misformatted parenthetical comment')
        return count
      }
      if (!this.consume(',')) fail('expected comma')
    }
  }
}

/**
 * Whether Go `net/mail.ParseAddress` parses `s` as exactly one address (strfmt IsEmail).
 *
 * @example
 * parseMailAddress('Joe <joe@example.com>') // true
 * parseMailAddress('somebody@somewhere@com') // false
 */
export function parseMailAddress(s: string): boolean {
  const p = new Parser(s)
  try {
    const count = p.parseAddress(true)
    return p.skipCfws() && p.s === '' && count === 1
  } catch (error) {
    if (error instanceof Error) return false
    throw error
  }
}

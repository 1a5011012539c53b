// Which proxy the environment selects for the API server, reproducing Go's
// `golang.org/x/net/http/httpproxy` (`Config.ProxyFunc`, `useProxy`), which client-go uses through
// `http.ProxyFromEnvironment` when a cluster has no `proxy-url`: HTTPS_PROXY for https servers,
// HTTP_PROXY for http servers (upper case first), never for localhost or loopback addresses,
// and NO_PROXY entries as IPs, CIDRs, `host[:port]`, `domain` (itself and subdomains) or
// `.domain` (subdomains only); `*` disables proxying.
import { BlockList, isIP } from 'node:net'

/** The proxy URL for `server`, or undefined when the request goes direct. */
export function proxyFromEnvironment(
  server: URL,
  env: Record<string, string | undefined>,
): string | undefined {
  const pick = (upper: string) => {
    const value = env[upper] ?? env[upper.toLowerCase()]
    return value === undefined || value === '' ? undefined : value
  }
  const proxy = server.protocol === 'https:' ? pick('HTTPS_PROXY') : pick('HTTP_PROXY')
  if (proxy === undefined) return undefined
  const host = unbracket(server.hostname).toLowerCase()
  if (isLoopback(host)) return undefined
  const port = server.port !== '' ? server.port : server.protocol === 'https:' ? '443' : '80'
  const noProxy = pick('NO_PROXY')
  if (noProxy !== undefined && bypassed(host, port, noProxy)) return undefined
  // httpproxy.parseProxy: a value without a scheme means http://.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`
}

/** localhost or an address in 127.0.0.0/8 or ::1. */
export function isLoopback(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6)
    return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host)
  return false
}

function bypassed(host: string, port: string, noProxy: string): boolean {
  const hostIsIp = isIP(host)
  for (const raw of noProxy.split(',')) {
    let entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') return true
    if (entry.includes('/')) {
      // CIDR
      const [base, bits] = entry.split('/')
      const family = isIP(base ?? '')
      if (hostIsIp !== 0 && family === hostIsIp && bits !== undefined) {
        const list = new BlockList()
        list.addSubnet(base ?? '', Number(bits), family === 4 ? 'ipv4' : 'ipv6')
        if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true
      }
      continue
    }
    let entryPort: string | undefined
    const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(entry)
    if (bracketed !== null) {
      entry = bracketed[1] ?? ''
      entryPort = bracketed[2]
    } else if (isIP(entry) === 0) {
      const colon = entry.lastIndexOf(':')
      if (colon > 0) {
        entryPort = entry.slice(colon + 1)
        entry = entry.slice(0, colon)
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue
    if (isIP(entry) !== 0) {
      if (entry === host) return true
      continue
    }
    if (entry.startsWith('*.')) entry = entry.slice(1)
    if (entry.startsWith('.')) {
      if (host.endsWith(entry)) return true
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true
    }
  }
  return false
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

// HTTP basic authentication (`username` / `password` of a kubeconfig user), as client-go
// `transport/round_trippers.go` (`basicAuthRoundTripper`) sends it.

/** The Authorization header value for basic credentials. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
}

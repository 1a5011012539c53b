// Go's http.ProxyFromEnvironment rules (golang.org/x/net/http/httpproxy), as client-go applies
// them when a cluster has no proxy-url.
import { describe, expect, it } from 'vitest'
import { isLoopback, proxyFromEnvironment } from '../src/proxy-env.js'

const P = 'http://proxy.corp:3128'

describe('proxyFromEnvironment', () => {
  it.each([
    { given: { server: 'https://api.example:6443', env: { HTTPS_PROXY: P } }, want: P },
    { given: { server: 'https://api.example:6443', env: { https_proxy: P } }, want: P },
    {
      given: {
        server: 'https://api.example:6443',
        env: { HTTPS_PROXY: P, https_proxy: 'http://other:1' },
      },
      want: P,
    },
    { given: { server: 'https://api.example:6443', env: { HTTP_PROXY: P } }, want: undefined },
    { given: { server: 'http://api.example:8080', env: { HTTP_PROXY: P } }, want: P },
    {
      given: { server: 'https://api.example:6443', env: { HTTPS_PROXY: 'proxy.corp:3128' } },
      want: P,
    },
    { given: { server: 'https://127.0.0.1:6443', env: { HTTPS_PROXY: P } }, want: undefined },
    { given: { server: 'https://localhost:6443', env: { HTTPS_PROXY: P } }, want: undefined },
    { given: { server: 'https://[::1]:6443', env: { HTTPS_PROXY: P } }, want: undefined },
    {
      given: { server: 'https://api.example:6443', env: { HTTPS_PROXY: P, NO_PROXY: '*' } },
      want: undefined,
    },
    {
      given: { server: 'https://api.example:6443', env: { HTTPS_PROXY: P, NO_PROXY: 'example' } },
      want: undefined,
    },
    {
      given: {
        server: 'https://api.example:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: 'api.example' },
      },
      want: undefined,
    },
    {
      given: {
        server: 'https://api.example:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: '.api.example' },
      },
      want: P,
    },
    {
      given: {
        server: 'https://a.api.example:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: '.api.example' },
      },
      want: undefined,
    },
    {
      given: {
        server: 'https://api.example:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: 'api.example:443' },
      },
      want: P,
    },
    {
      given: {
        server: 'https://api.example:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: 'api.example:6443' },
      },
      want: undefined,
    },
    {
      given: { server: 'https://10.1.2.3:6443', env: { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' } },
      want: undefined,
    },
    {
      given: { server: 'https://11.1.2.3:6443', env: { HTTPS_PROXY: P, NO_PROXY: '10.0.0.0/8' } },
      want: P,
    },
    {
      given: {
        server: 'https://10.1.2.3:6443',
        env: { HTTPS_PROXY: P, NO_PROXY: ' other , 10.1.2.3 ' },
      },
      want: undefined,
    },
    {
      given: { server: 'https://[fd00::5]:6443', env: { HTTPS_PROXY: P, NO_PROXY: 'fd00::/8' } },
      want: undefined,
    },
    {
      given: {
        server: 'https://api.example',
        env: { HTTPS_PROXY: P, no_proxy: 'api.example:443' },
      },
      want: undefined,
    },
  ])('$given.server with $given.env → $want', ({ given, want }) => {
    expect(proxyFromEnvironment(new URL(given.server), given.env)).toBe(want)
  })
})

describe('isLoopback', () => {
  it.each([
    { given: 'localhost', want: true },
    { given: '127.0.0.1', want: true },
    { given: '127.8.9.10', want: true },
    { given: '[::1]', want: true },
    { given: '::1', want: true },
    { given: '10.0.0.1', want: false },
    { given: 'kube.test', want: false },
    { given: 'localhost.example.com', want: false },
  ])('$given → $want', ({ given, want }) => {
    expect(isLoopback(given)).toBe(want)
  })
})

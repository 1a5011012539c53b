// Failed responses → Status: the server's own Status kept as sent; anything else built like
// apimachinery errors.go NewGenericServerResponse from client-go newUnstructuredResponseError.
import { describe, expect, it } from 'vitest'

import {
  statusErrorOfResponse,
  statusOfResponse,
  type RequestSubject,
  type Status,
} from '../src/index.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const get: RequestSubject = {
  method: 'GET',
  path: '/apis/example.dev/v1/namespaces/web/widgets/w',
  group: 'example.dev',
  resource: 'widgets',
  name: 'w',
}
const text = { 'content-type': 'text/plain; charset=utf-8' }

describe('statusOfResponse', () => {
  it.each<{
    given: {
      code: number
      headers?: Record<string, string>
      body: string
      subject?: RequestSubject
    }
    want: Partial<Status>
  }>([
    {
      given: {
        code: 404,
        headers: { 'content-type': 'application/json' },
        body: '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"widgets.example.dev \\"w\\" not found","reason":"NotFound","details":{"name":"w","group":"example.dev","kind":"widgets"},"code":404}',
      },
      want: {
        reason: 'NotFound',
        message: 'widgets.example.dev "w" not found',
        details: { name: 'w', group: 'example.dev', kind: 'widgets' },
      },
    },
    {
      given: { code: 404, headers: text, body: '404 page not found\n' },
      want: {
        reason: 'NotFound',
        code: 404,
        message: 'the server could not find the requested resource (get widgets.example.dev w)',
        details: {
          group: 'example.dev',
          kind: 'widgets',
          name: 'w',
          causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
        },
      },
    },
    {
      given: { code: 409, body: '', subject: { method: 'POST', path: '/api/v1/namespaces' } },
      want: { reason: 'AlreadyExists', message: 'the server reported a conflict' },
    },
    { given: { code: 409, body: '' }, want: { reason: 'Conflict' } },
    {
      given: { code: 403, headers: text, body: 'forbidden: user "x" cannot get' },
      want: {
        reason: 'Forbidden',
        message: 'forbidden: user "x" cannot get (get widgets.example.dev w)',
      },
    },
    {
      given: { code: 502, headers: text, body: 'bad gateway' },
      want: {
        reason: 'InternalError',
        message:
          'an error on the server ("bad gateway") has prevented the request from succeeding (get widgets.example.dev w)',
      },
    },
    {
      // Not text: the body is not quoted back ("unknown").
      given: { code: 500, headers: { 'content-type': 'application/octet-stream' }, body: 'xx' },
      want: {
        reason: 'InternalError',
        details: {
          group: 'example.dev',
          kind: 'widgets',
          name: 'w',
          causes: [{ reason: 'UnexpectedServerResponse', message: 'unknown' }],
        },
      },
    },
    {
      given: { code: 429, headers: { 'retry-after': '3' }, body: '' },
      want: {
        reason: 'TooManyRequests',
        details: {
          group: 'example.dev',
          kind: 'widgets',
          name: 'w',
          retryAfterSeconds: 3,
          causes: [{ reason: 'UnexpectedServerResponse', message: 'unknown' }],
        },
      },
    },
    {
      given: { code: 418, body: '' },
      want: {
        reason: '',
        message:
          'the server responded with the status code 418 but did not return more information (get widgets.example.dev w)',
      },
    },
    {
      // A Status without `status` is not taken as one (client-go: len(status.Status) > 0).
      given: { code: 400, body: '{"kind":"Status","message":"x"}' },
      want: { reason: 'BadRequest' },
    },
  ])('$given.code $given.body', ({ given, want }) => {
    const status = statusOfResponse(
      given.code,
      given.headers ?? {},
      bytes(given.body),
      given.subject ?? get,
    )
    expect(status).toMatchObject(want)
  })

  it('keeps at most 2048 bytes of a text body', () => {
    const status = statusOfResponse(500, text, bytes('x'.repeat(5000)), get)
    expect(status.details?.causes?.[0]?.message).toHaveLength(2048)
  })

  it('the error message names method, path, code, reason and the server message', () => {
    const e = statusErrorOfResponse(404, text, bytes('404 page not found'), get)
    expect(e.message).toBe(
      'GET /apis/example.dev/v1/namespaces/web/widgets/w: 404 NotFound: the server could not find the requested resource (get widgets.example.dev w)',
    )
    expect(e.statusCode).toBe(404)
  })
})

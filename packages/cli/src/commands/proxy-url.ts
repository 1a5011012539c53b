import type { ProxyKind } from '@k8s-codegen/proxy-url'
import type { CommandModule } from 'yargs'
import { connectionFlags, connectionOptions, type ConnectionArgs } from '../connection-flags.js'
import type { CliContext } from '../context.js'
import { CliError } from '../errors.js'
import { report, reportFailure } from '../report.js'

interface ProxyUrlArgs extends ConnectionArgs {
  target?: string | undefined
  scheme?: 'http' | 'https' | undefined
  port?: string | undefined
  path?: string | undefined
  query?: string[] | undefined
  parse?: string | undefined
  json: boolean
}

// kubectl resource names and short names (kubectl api-resources).
const kinds: Record<string, ProxyKind> = {
  service: 'service',
  services: 'service',
  svc: 'service',
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  node: 'node',
  nodes: 'node',
  no: 'node',
}

function usage(message: string): CliError {
  return new CliError('K8S_CODEGEN_CLI_USAGE', message)
}

function parseQuery(pairs: string[]): Record<string, string[]> {
  const query: Record<string, string[]> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw usage(`--query '${pair}' must be name=value`)
    ;(query[pair.slice(0, eq)] ??= []).push(pair.slice(eq + 1))
  }
  return query
}

/**
 * `k8s-codegen proxy-url`: build an apiserver proxy URL against the current context's server, or
 * explain one with `--parse`.
 *
 * @example
 * commands.push(proxyUrlCommand(ctx))
 */
export function proxyUrlCommand(ctx: CliContext): CommandModule<object, ProxyUrlArgs> {
  return {
    command: 'proxy-url [target]',
    describe: 'Build (or --parse) an apiserver proxy URL for a service, pod or node',
    builder: (yargs) =>
      yargs
        .positional('target', {
          type: 'string',
          describe: 'service/<name>, pod/<name> or node/<name>',
        })
        .options(connectionFlags)
        .options({
          scheme: {
            choices: ['http', 'https'] as const,
            describe: 'Scheme the apiserver uses towards the target',
          },
          port: { type: 'string', describe: 'Port number or (services only) port name' },
          path: { type: 'string', describe: 'Path behind /proxy/ (plain text, may contain /)' },
          query: {
            type: 'string',
            array: true,
            describe: 'Query parameter name=value (repeatable)',
          },
          parse: { type: 'string', describe: 'Explain this proxy URL instead of building one' },
          json: { type: 'boolean', default: false, describe: 'Print JSON' },
        })
        .example(
          '$0 proxy-url service/elasticsearch-logging -n kube-system --scheme https --port 9200 --path _search --query q=user:kimchy',
          'A service proxy URL on the current server',
        )
        .example(
          '$0 proxy-url pod/web-0 --port 8080 --path metrics',
          'A pod proxy URL in the context namespace',
        )
        .example(
          "$0 proxy-url --parse 'https://10.0.0.1/api/v1/namespaces/default/pods/web-0:8080/proxy/metrics'",
          'Explain a proxy URL',
        )
        .epilog('Exit codes: 0 ok; 1 invalid target, flag or kubeconfig'),
    handler: async (args) => {
      try {
        const result = await proxyUrl(args, ctx)
        report(ctx, 'proxy-url', args.json, {
          exitCode: 0,
          summary: result,
          text:
            'url' in result && Object.keys(result).length === 1
              ? `${String(result.url)}\n`
              : Object.entries(result)
                  .map(([k, v]) => `${`${k}:`.padEnd(11)}${String(v)}\n`)
                  .join(''),
        })
      } catch (error) {
        reportFailure(ctx, 'proxy-url', args.json, error)
      }
    },
  }
}

async function proxyUrl(args: ProxyUrlArgs, ctx: CliContext): Promise<Record<string, unknown>> {
  const { buildProxyUrl, parseProxyUrl } = await import('@k8s-codegen/proxy-url')
  if (args.parse !== undefined) return { ...parseProxyUrl(args.parse) }
  if (args.target === undefined) throw usage('give a target like service/<name>, or --parse <url>')
  const slash = args.target.indexOf('/')
  const kind = kinds[args.target.slice(0, slash)]
  if (slash <= 0 || kind === undefined)
    throw usage(`target '${args.target}' must be service/<name>, pod/<name> or node/<name>`)
  const { loadConnection } = await import('@k8s-codegen/cluster')
  const connection = await loadConnection(connectionOptions(args, ctx))
  try {
    const d = connection.describe()
    return {
      url: buildProxyUrl({
        server: d.server,
        kind,
        name: args.target.slice(slash + 1),
        ...(kind === 'node' ? {} : { namespace: d.namespace }),
        ...(args.scheme === undefined ? {} : { scheme: args.scheme }),
        ...(args.port === undefined ? {} : { port: args.port }),
        ...(args.path === undefined ? {} : { path: args.path }),
        ...(args.query === undefined ? {} : { query: parseQuery(args.query) }),
      }),
    }
  } finally {
    await connection.close()
  }
}

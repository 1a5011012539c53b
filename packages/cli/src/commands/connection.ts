import type { CommandModule } from 'yargs'
import { connectionFlags, connectionOptions, type ConnectionArgs } from '../connection-flags.js'
import type { CliContext } from '../context.js'
import { report, reportFailure } from '../report.js'

interface ConnectionCommandArgs extends ConnectionArgs {
  json: boolean
}

/**
 * `k8s-codegen connection`: the resolved, redacted connection (no request is made).
 *
 * @example
 * commands.push(connectionCommand(ctx))
 */
export function connectionCommand(ctx: CliContext): CommandModule<object, ConnectionCommandArgs> {
  return {
    command: 'connection',
    describe:
      'Show how the connection flags and kubeconfig resolve (secrets redacted; contacts no server)',
    builder: (yargs) =>
      yargs
        .options(connectionFlags)
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'Print the description as JSON',
        })
        .example('$0 connection', 'The current context, server, user and auth method')
        .example('$0 connection --context prod --json', 'As JSON')
        .epilog('Exit codes: 0 resolved; 1 kubeconfig/flag error'),
    handler: async (args) => {
      let connection
      try {
        const { loadConnection } = await import('@k8s-codegen/cluster')
        connection = await loadConnection(connectionOptions(args, ctx))
        const d = connection.describe()
        const rows: [string, unknown][] = [
          ['source', d.source],
          ['kubeconfig', d.kubeconfigFiles.join(', ') || '-'],
          ['context', d.context ?? '-'],
          ['cluster', d.cluster ?? '-'],
          ['user', d.user ?? '-'],
          ['server', d.server],
          ['namespace', d.namespace],
          ['tls-server-name', d.tlsServerName ?? '-'],
          ['ca', d.caFile === undefined ? d.caSource : `${d.caSource} (${d.caFile})`],
          ['insecure', d.insecure],
          ['auth', d.authMethod],
          [
            'as',
            d.impersonate === undefined
              ? '-'
              : [d.impersonate.user, ...d.impersonate.groups.map((g) => `group ${g}`)].join(', '),
          ],
          ['proxy', d.proxy === undefined ? '-' : `${d.proxy} (${d.proxySource ?? ''})`],
        ]
        report(ctx, 'connection', args.json, {
          exitCode: 0,
          summary: { ...d },
          text: rows.map(([k, v]) => `${`${k}:`.padEnd(17)}${String(v)}\n`).join(''),
        })
      } catch (error) {
        reportFailure(ctx, 'connection', args.json, error)
      } finally {
        await connection?.close()
      }
    },
  }
}

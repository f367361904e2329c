import type { Command } from 'commander';
import { createProcessLogger } from '../../ops/logFiles';
import { cliConfig, CommandContext } from '../context';
import { createPublicServer } from '../serve/publicServer';
import { listen } from '../../ops/listen';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the public HTTP endpoints (unsubscribe page and one-click POST, health) on HTTP_PORT')
    .action(async () => {
      const ctx = new CommandContext(cliConfig());
      const logger = await createProcessLogger(ctx.config, 'serve');
      const server = createPublicServer({ config: ctx.config, db: await ctx.db(), logger });
      await listen(server, 'the public endpoints (HTTP_PORT)', ctx.config.httpPort);
      logger.info(
        { port: ctx.config.httpPort, publicBaseUrl: ctx.config.publicBaseUrl },
        'public endpoints listening',
      );
      await new Promise<void>((ok) => {
        const stop = () => server.close(() => ok());
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await ctx.close();
    });
}

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../domain/config';
import { registerDevCommands } from './commands/dev';
import { registerFilingCommands } from './commands/filings';
import { registerMaintenanceCommands } from './commands/maintenance';
import { registerHealthCommands } from './commands/health';
import { registerNotificationCommands } from './commands/notifications';
import { registerOpsCommands } from './commands/ops';
import { registerParseCommands } from './commands/parse';
import { registerPriceCommands } from './commands/prices';
import { registerScheduleCommands } from './commands/schedules';
import { registerServeCommands } from './commands/serve';
import { registerSyncCommands } from './commands/sync';
import { registerUserCommands } from './commands/users';
import { addOutputOption } from './output';

const program = new Command('capitolscope')
  .description('CapitolScope Scheduler: STOCK Act filings to trade alerts, on Temporal')
  .showHelpAfterError()
  .exitOverride();
addOutputOption(program);

registerOpsCommands(program);
registerHealthCommands(program);
registerParseCommands(program);
registerSyncCommands(program);
registerUserCommands(program);
registerFilingCommands(program);
registerNotificationCommands(program);
registerMaintenanceCommands(program);
registerPriceCommands(program);
registerScheduleCommands(program);
registerServeCommands(program);
registerDevCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else {
    // One clear line for the operator; the stack only when asked for.
    const message = err instanceof ConfigError ? err.message : `error: ${(err as Error).message ?? err}`;
    process.stderr.write(message + '\n');
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    // A command that failed half-way (a worker that could not start) must not linger on open handles.
    process.exit(1);
  }
}

import { Command, CommanderError } from 'commander';
import { ConfigError } from '../domain/config';
import { registerCommands } from './commandModules';
import { addOutputOption } from './output';

const program = new Command('capitolscope')
  .description('CapitolScope Scheduler: STOCK Act filings to trade alerts, on Temporal')
  .showHelpAfterError()
  .exitOverride();
addOutputOption(program);

try {
  await registerCommands(program, process.argv.slice(2));
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

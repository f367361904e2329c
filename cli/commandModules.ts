import type { Command } from 'commander';

type Register = (program: Command) => void;

/** One file under cli/commands/: the top-level commands it registers, and how to load it. */
export interface CommandModule {
  names: readonly string[];
  load: () => Promise<Register>;
}

/**
 * Every command, in the order `--help` lists them. Each file is loaded only when one of its commands
 * runs: loading them all (PDF and OCR readers, the worker package, every activity) took longer than
 * most commands themselves.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['migrate', 'status'], load: async () => (await import('./commands/ops')).registerOpsCommands },
  { names: ['worker'], load: async () => (await import('./commands/worker')).registerWorkerCommands },
  { names: ['health', 'test'], load: async () => (await import('./commands/health')).registerHealthCommands },
  { names: ['parse'], load: async () => (await import('./commands/parse')).registerParseCommands },
  { names: ['sync'], load: async () => (await import('./commands/sync')).registerSyncCommands },
  { names: ['users', 'rules'], load: async () => (await import('./commands/users')).registerUserCommands },
  { names: ['filings'], load: async () => (await import('./commands/filings')).registerFilingCommands },
  {
    names: ['notifications'],
    load: async () => (await import('./commands/notifications')).registerNotificationCommands,
  },
  {
    names: ['backup', 'restore', 'cleanup', 'report'],
    load: async () => (await import('./commands/maintenance')).registerMaintenanceCommands,
  },
  { names: ['prices'], load: async () => (await import('./commands/prices')).registerPriceCommands },
  { names: ['schedules'], load: async () => (await import('./commands/schedules')).registerScheduleCommands },
  { names: ['serve'], load: async () => (await import('./commands/serve')).registerServeCommands },
  { names: ['dev'], load: async () => (await import('./commands/dev')).registerDevCommands },
];

/**
 * Registers the commands `args` (the arguments after the program name) can run: only the file of
 * the first argument that names a command (only the global `-o` and its value may come before it),
 * or every file when none does (`--help`, a misspelt command, which commander then answers with
 * the whole list).
 */
export async function registerCommands(
  program: Command,
  args: readonly string[],
  modules: readonly CommandModule[] = COMMAND_MODULES,
): Promise<void> {
  const named = args.map((a) => modules.find((m) => m.names.includes(a))).find((m) => m !== undefined);
  for (const m of named ? [named] : modules) (await m.load())(program);
}

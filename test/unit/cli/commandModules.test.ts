import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, registerCommands, type CommandModule } from '../../../cli/commandModules';

const topLevelNames = (program: Command) => program.commands.map((c) => c.name());

describe('the command table', () => {
  it('names exactly the commands each file registers', async () => {
    for (const m of COMMAND_MODULES) {
      const program = new Command('capitolscope');
      (await m.load())(program);
      expect(topLevelNames(program)).toEqual(m.names);
    }
  }, 60_000);

  it('names each command once', () => {
    const names = COMMAND_MODULES.flatMap((m) => m.names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('registerCommands', () => {
  // Stand-ins that record which files were loaded, each registering its names.
  function fakeModules() {
    const loaded: string[] = [];
    const modules: CommandModule[] = [['migrate', 'status'], ['users', 'rules'], ['parse']].map((names) => ({
      names,
      load: () => {
        loaded.push(names[0]!);
        return Promise.resolve((p: Command) => names.forEach((n) => p.command(n)));
      },
    }));
    return { loaded, modules };
  }

  it.each([
    [['status'], ['migrate']],
    [['-o', 'json', 'status'], ['migrate']],
    [['rules', 'add', '--ticker', 'parse'], ['users']],
    [['help', 'users'], ['users']],
    [['parse', '--help'], ['parse']],
  ])('loads only the file of the command in %j', async (args, expected) => {
    const { loaded, modules } = fakeModules();
    const program = new Command('capitolscope');
    await registerCommands(program, args, modules);
    expect(loaded).toEqual(expected);
  });

  it.each([[[]], [['--help']], [['statu']], [['-o', 'json']]])(
    'loads every file for %j, so help and suggestions see every command',
    async (args) => {
      const { loaded, modules } = fakeModules();
      const program = new Command('capitolscope');
      await registerCommands(program, args, modules);
      expect(loaded).toEqual(['migrate', 'users', 'parse']);
      expect(topLevelNames(program)).toEqual(['migrate', 'status', 'users', 'rules', 'parse']);
    },
  );
});

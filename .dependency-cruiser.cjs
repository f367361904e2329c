/**
 * The rooms of the tree and which may use which (see README, "How it works"): checked in CI by
 * `npm run lint`. Each rule names the room it guards; a violation names the file and the import.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A module cycle couples its rooms both ways; move the shared piece down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure types and logic: no other room, no Node built-ins, no I/O packages.',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        pathNot: ['^domain/', '^node_modules/zod/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-are-deterministic',
      comment:
        'Workflow code runs in the Temporal sandbox: domain/ and @temporalio/workflow only; activity types only.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^domain/', '^node_modules/@temporalio/(workflow|common)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'adapters-stay-below-activities',
      comment: 'sources/, store/, mail/ and ops/ serve activities and entry points, never the reverse.',
      severity: 'error',
      from: { path: '^(sources|store|mail|ops)/' },
      to: { path: ['^(activities|workflows|workers|schedules|cli|devstack)/'] },
    },
    {
      name: 'sources-and-store-send-no-mail',
      comment: 'Upstream adapters and SQL know nothing of email.',
      severity: 'error',
      from: { path: '^(sources|store)/' },
      to: { path: '^mail/' },
    },
    {
      name: 'adapters-are-separate',
      comment: 'sources/ and store/ do not call each other; an activity composes them.',
      severity: 'error',
      from: { path: '^sources/' },
      to: { path: '^store/' },
    },
    {
      name: 'store-reads-no-upstream',
      severity: 'error',
      from: { path: '^store/' },
      to: { path: '^sources/' },
    },
    {
      name: 'activities-below-entry-points',
      comment: 'Activities are built from injected dependencies; workers and commands assemble them.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: ['^(workflows|workers|schedules|cli|devstack)/'] },
    },
    {
      name: 'workers-are-not-commands',
      severity: 'error',
      from: { path: '^(workers|schedules)/' },
      to: { path: ['^(cli|devstack)/'] },
    },
    {
      name: 'local-stack-is-no-command',
      comment: 'cli/ loads the local stack; the stack uses what the commands use, never cli/ itself.',
      severity: 'error',
      from: { path: '^devstack/' },
      to: { path: '^cli/' },
    },
    {
      name: 'tests-and-benchmarks-are-leaves',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'production-code-needs-no-dev-dependencies',
      comment:
        'Production installs omit devDependencies (npm ci --omit=dev); the local stack and tests use them.',
      severity: 'error',
      from: { path: '^(domain|workflows|activities|sources|store|mail|ops|workers|schedules|cli)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'local-stack-is-loaded-lazily',
      comment:
        'Only `capitolscope dev` reaches the local stack, by a dynamic import, so production installs can leave it out.',
      severity: 'error',
      from: { path: '^(domain|workflows|activities|sources|store|mail|ops|workers|schedules|cli)/' },
      to: { path: '^devstack/', dependencyTypesNot: ['dynamic-import'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    exclude: { path: ['^node_modules', '^\\.', '^coverage'] },
  },
};

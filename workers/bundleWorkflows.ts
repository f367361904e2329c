// Bundles workflow code in a process of its own (see workflowBundle.ts): takes `{ workflowsPath }`
// over IPC and answers `{ code }` or `{ error }`.
import { bundleWorkflowCode } from '@temporalio/worker';

process.once('message', (m: { workflowsPath: string }) => {
  bundleWorkflowCode({
    workflowsPath: m.workflowsPath,
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => process.stderr.write(`workflow bundler: ${message}\n`),
      error: (message) => process.stderr.write(`workflow bundler: ${message}\n`),
    },
  }).then(
    ({ code }) => process.send!({ code }, () => process.exit(0)),
    (err: Error) => process.send!({ error: err.stack ?? String(err) }, () => process.exit(1)),
  );
});

'use strict';
/**
 * Bench lever only, never loaded by the product: entries into the workflow sandbox without the SDK's
 * execution timeout. The SDK enters a workflow's vm context three times per activation, each time with
 * `timeout` (its deadlock detection), and Node enforces every such timeout with a thread made for that
 * one call and joined after it (nodejs/node#47739). Loaded with `NODE_OPTIONS=--require`, which Node
 * applies to worker threads too; only the workflow threads are changed.
 */
const { isMainThread } = require('node:worker_threads');
const vm = require('node:vm');

if (!isMainThread) {
  const runInContext = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function (context, options) {
    if (!options || typeof options !== 'object' || !('timeout' in options)) {
      return runInContext.call(this, context, options);
    }
    const untimed = { ...options };
    delete untimed.timeout;
    return runInContext.call(this, context, untimed);
  };
}

'use strict';
/**
 * Bench lever only, never loaded by the product: workflow threads without the SDK's stack capture
 * for every promise. The SDK installs a V8 promise hook in each workflow thread that, for every
 * promise workflow code creates, builds an Error's stack, maps each frame through the bundle's source
 * map and keeps the result for the `__stack_trace` query (temporalio/sdk-typescript#1587). Refusing
 * the hook makes the SDK run without it, as it does where promise hooks do not exist. Loaded with
 * `NODE_OPTIONS=--require`, which Node applies to worker threads too; only those are changed.
 */
const { isMainThread } = require('node:worker_threads');
const v8 = require('node:v8');

if (!isMainThread) {
  v8.promiseHooks.createHook = () => {
    throw new Error('promise hooks refused by the bench lever');
  };
}

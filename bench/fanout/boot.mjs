// Starts a bench script (a file URL, the first argument) the way bin/capitolscope.js starts the
// product: tsx registered from code, not with `--import tsx`. Worker threads inherit a process's
// command-line flags, so `--import tsx` would load tsx into the SDK's workflow threads too and turn
// on Node's source maps there, which production threads do not have.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);

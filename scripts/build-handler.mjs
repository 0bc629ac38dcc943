#!/usr/bin/env node
// `npm run build:handler`: builds dist/tasker-handler.zip when the handler's sources or the lock file
// changed (scripts/handler-bundle/build.mjs says what goes in and why). `--force` rebuilds anyway;
// HANDLER_DIST_DIR builds into another folder (tests, the bench) without touching the shipped `dist/`.
import { buildHandlerBundle } from './handler-bundle/build.mjs';

await buildHandlerBundle({ distDir: process.env.HANDLER_DIST_DIR || undefined, force: process.argv.includes('--force') });

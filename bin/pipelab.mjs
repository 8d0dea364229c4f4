#!/usr/bin/env node
// Command-line entry: runs the TypeScript sources through tsx, from wherever it is called.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

process.env.PIPELAB_HOME ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
register();
const { main } = await import('../server/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: the TensorFlow.js runtime can keep the event loop alive after the work is done.
process.stdout.write("", () => process.exit(code));

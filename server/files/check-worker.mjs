// Entry of a file-checking thread: loads the TypeScript sources through tsx, as the command line does.
import { register } from 'tsx/esm/api';
import { lowerThisThreadPriority } from './lower-thread-priority.mjs';

// First of all: a check is background work, and the thread answering requests must win the CPU against it
// (and against the threads this one starts to read parts of a large CSV, which inherit the priority).
lowerThisThreadPriority();
register();
const { checkFile } = await import('./checks.ts');
export default checkFile;

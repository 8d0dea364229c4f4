// Entry of a thread scoring settings-search trials: loads the TypeScript sources through tsx, as the run
// worker, the command line and the file-checking threads do.
import { register } from 'tsx/esm/api';

register();
const { serveTrials } = await import('./tuning-thread.ts');
serveTrials();

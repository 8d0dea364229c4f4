// Entry of a file-checking thread: loads the TypeScript sources through tsx, as the command line does.
import { register } from 'tsx/esm/api';

register();
const { checkFile } = await import('./checks.ts');
export default checkFile;

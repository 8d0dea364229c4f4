import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../../nodes/lib/paths';

/**
 * The key that signs session cookies: PIPELAB_AUTH_SECRET when set (required when several servers share
 * one database), otherwise a random key kept beside the database, readable by its owner only.
 */
export function authSecret(): string {
  const fromEnv = process.env.PIPELAB_AUTH_SECRET ?? process.env.BETTER_AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('PIPELAB_AUTH_SECRET must be at least 32 characters long.');
    return fromEnv;
  }
  const file = path.join(dataDir(), 'auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process wrote it first.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}

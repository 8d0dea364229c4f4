import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../models/limits';
import { inLargeTableTurn } from './check-pool';

const large = LIMITS.fileCheck.largeTableBytes + 1;

/** A check that records when it starts and ends, and finishes when told to. */
function heldCheck(name: string, log: string[]) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const check = async () => {
    log.push(`${name} starts`);
    await done;
    log.push(`${name} ends`);
    return name;
  };
  return { check, finish };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('large tables are checked one at a time', () => {
  it('starts a second large table only when the first is done, and never holds up a small file', async () => {
    const log: string[] = [];
    const first = heldCheck('first', log);
    const second = heldCheck('second', log);
    const small = heldCheck('small', log);
    const firstAnswer = inLargeTableTurn(large, first.check);
    const secondAnswer = inLargeTableTurn(large, second.check);
    const smallAnswer = inLargeTableTurn(LIMITS.fileCheck.largeTableBytes, small.check);
    await settle();
    expect([...log].sort()).toEqual(['first starts', 'small starts']);
    small.finish();
    first.finish();
    expect(await firstAnswer).toBe('first');
    await settle();
    expect(log.slice(2)).toEqual(['small ends', 'first ends', 'second starts']);
    second.finish();
    expect(await Promise.all([secondAnswer, smallAnswer])).toEqual(['second', 'small']);
  });

  it('passes the turn on when a check fails, and refuses more than the queue holds with "try again"', async () => {
    await expect(inLargeTableTurn(large, async () => Promise.reject(new Error('broken file')))).rejects.toThrow('broken file');
    expect(await inLargeTableTurn(large, async () => 'next')).toBe('next');

    const log: string[] = [];
    const held = Array.from({ length: LIMITS.fileCheck.largeTableQueue }, (_, i) => heldCheck(`table ${i}`, log));
    const answers = held.map(({ check }) => inLargeTableTurn(large, check));
    await expect(inLargeTableTurn(large, async () => 'one too many')).rejects.toThrow(/try again in a minute/);
    for (const { finish } of held) finish();
    expect(await Promise.all(answers)).toHaveLength(LIMITS.fileCheck.largeTableQueue);
  });
});

import { Logger } from '@nestjs/common';
import { eachBounded, WorkerLoop } from './loop';

const quiet = { warn: () => undefined } as unknown as Logger;
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await tick(5);
  expect(condition()).toBe(true);
}

describe('WorkerLoop', () => {
  it('runs rounds back to back while work remains, then sleeps until woken', async () => {
    let work = 3;
    let rounds = 0;
    const loop = new WorkerLoop(
      't',
      async () => {
        rounds++;
        if (work > 0) {
          work--;
          return 0;
        }
        return null;
      },
      60_000,
      quiet,
    );
    loop.start();
    await until(() => rounds === 4); // three with work, one that found none…
    await tick(30);
    expect(rounds).toBe(4); // …then asleep (the poll is a minute away)
    work = 1;
    loop.wake();
    await until(() => rounds === 6);
    await loop.stop();
  });

  it('keeps going after a failing round, and stop() waits for the round in progress', async () => {
    let rounds = 0;
    let finished = false;
    const loop = new WorkerLoop(
      't',
      async () => {
        rounds++;
        if (rounds === 1) throw new Error('database restarting');
        await tick(30);
        finished = true;
        return null;
      },
      60_000,
      quiet,
    );
    loop.start();
    await until(() => rounds === 1);
    loop.wake(); // cuts the error backoff short
    await until(() => rounds === 2);
    await loop.stop();
    expect(finished).toBe(true);
  });
});

describe('eachBounded', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await eachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick(2);
      running--;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

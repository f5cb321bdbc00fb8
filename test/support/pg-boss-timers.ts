// Jest setup (runs before each test file's modules load).
//
// pg-boss 10's `delay` requires 'node:timers/promises' lazily, on every call. Its stop() leaves a
// background loop (manager.offWork) that may call `delay` once more after a test file has
// finished; inside Jest that late `require` hits a torn-down module registry and crashes whichever
// test file runs next in that worker. Here `delay` gets the same behaviour with the module bound
// up front, so such a late tick is harmless. Nothing the app does changes: in production the lazy
// require is fine.
import { setTimeout as sleep } from 'node:timers/promises';

type Delay = ((ms: number, error?: string) => Promise<void>) & { abort?: () => void };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('pg-boss/src/tools') as { delay: Delay };

tools.delay = (ms: number, error?: string) => {
  const ac = new AbortController();
  const promise: Promise<void> & { abort?: () => void } = new Promise<void>((resolve, reject) => {
    sleep(ms, null, { signal: ac.signal })
      .then(() => (error ? reject(new Error(error)) : resolve()))
      .catch(() => resolve());
  });
  promise.abort = () => {
    if (!ac.signal.aborted) ac.abort();
  };
  return promise;
};

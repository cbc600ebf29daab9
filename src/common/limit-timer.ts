// A timer for a limit a user or client sets (a timeout in milliseconds). Node fires a timer of more than 2^31 − 1
// ms at once, with a warning, so a longer limit (over 24 days) waits in steps. The timer never keeps the process
// alive: a limit is not work.

const LONGEST_TIMER_MILLIS = 2 ** 31 - 1;

export interface LimitTimer {
  cancel(): void;
}

export function startLimitTimer(millis: number, onExpiry: () => void): LimitTimer {
  let timer: NodeJS.Timeout;
  const wait = (remaining: number) => {
    const step = Math.min(Math.max(remaining, 0), LONGEST_TIMER_MILLIS);
    timer = setTimeout(() => (remaining > step ? wait(remaining - step) : onExpiry()), step);
    timer.unref();
  };
  wait(millis);
  return { cancel: () => clearTimeout(timer) };
}

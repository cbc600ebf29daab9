// Utility steps (reference/behaviour-steps.md §4.12). The time zone is restored after every scenario (world.ts).
import { Given } from '@cucumber/cucumber';
import { setTimeout as sleep } from 'node:timers/promises';

/** Changes the process time zone: datetimes must be stored, compared and printed zone-free regardless. */
Given('set time-zone is: {Timezone}', function (zone: string) {
  process.env['TZ'] = zone;
});

Given('wait {int} seconds', async function (seconds: number) {
  await sleep(seconds * 1000);
});

// What the `strata` launcher (bin/strata, a shell script) adds to the environment before Node.js starts, for the
// processes that run Strata's code without it and should run as a launched server does (the migration
// benchmark's steps). A test keeps this and the script in step.

/** glibc's tunable for large allocations on transparent huge pages (see bin/strata). */
export const LAUNCHER_GLIBC_TUNABLES = 'glibc.malloc.hugetlb=1';

/** `env` as the launcher passes it on: GLIBC_TUNABLES set unless it is already set (even empty). */
export function launcherEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.GLIBC_TUNABLES === undefined ? { ...env, GLIBC_TUNABLES: LAUNCHER_GLIBC_TUNABLES } : { ...env };
}

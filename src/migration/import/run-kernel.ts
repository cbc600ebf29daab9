// The loop around a native resolving kernel (native/src/run_merge.h): it is called until it is done, and in
// between the driver does what it stopped for: read more of a run file, flush a full batch into its sorter, or
// anything of the kernel's own (word an error, grow a buffer).

/** Codes every resolving kernel returns; codes from 4 on are the kernel's own. */
export enum KernelCode {
  Done = 0,
  Refill = 1,
  Flush = 2,
  Truncated = 3,
}

export interface KernelStops {
  /** Reads more of the run the kernel names. */
  refill(): void;
  /** Empties the batch the kernel names into its sorter. */
  flush(): void;
  /** The error for the run the kernel names, which ends inside a record. */
  truncated(): Error;
  /** A code of the kernel's own: throws, or makes room for it to go on. */
  other(code: number): void;
}

export function runKernel(kernel: () => number, stops: KernelStops): void {
  for (;;) {
    const code = kernel();
    switch (code) {
      case KernelCode.Done:
        return;
      case KernelCode.Refill:
        stops.refill();
        break;
      case KernelCode.Flush:
        stops.flush();
        break;
      case KernelCode.Truncated:
        throw stops.truncated();
      default:
        stops.other(code);
    }
  }
}

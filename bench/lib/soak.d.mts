// Types of bench/lib/soak.mjs for the TypeScript test that reuses it (hardening-soak.test.ts).

export declare const SOAK_SECRET_KEY: string;
export declare const HEAP_GROWTH_BOUND_BYTES: number;

export interface SoakReport {
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly serverErrors: number;
  readonly socketErrors: number;
  readonly timeouts: number;
  readonly mismatches: Readonly<Record<string, { readonly count: number; readonly example: string }>>;
  readonly leaks: number;
  readonly logins: { readonly ok: number; readonly wrong: number; readonly failed: number };
  readonly errorLogLines: number;
  readonly heap: {
    readonly afterWarmup: number;
    readonly atEnd: number;
    readonly growth: number;
    readonly bound: number;
    /** `at`: seconds since the start of the load, or "end" for the final sample. */
    readonly samples: readonly { readonly at: number | "end"; readonly heap: number }[];
  };
}

export interface SoakResult {
  readonly report: SoakReport;
  /** Empty when every bound held. */
  readonly failures: readonly string[];
}

export interface SoakOptions {
  readonly origin: string;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections?: number;
  /** The server's heapUsed in bytes after a forced GC. */
  heap(): Promise<number>;
  /** The server's log lines at level error or above so far. */
  errorLogLines(): readonly unknown[];
  log?(line: string): void;
}

export declare function runSoak(options: SoakOptions): Promise<SoakResult>;
export declare function describeSoak(result: SoakResult): string;
export declare function mb(bytes: number): string;

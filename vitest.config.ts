import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end suites start whole systems of processes; on two cores, two files at a time.
    maxWorkers: 2,
    minWorkers: 1,
    pool: "forks",
  },
});

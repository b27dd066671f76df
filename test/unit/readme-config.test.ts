import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_OPTIONS, META_OPTIONS } from "../../src/config/index.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Options the README documents as one row for a family of flags. */
const FAMILIES: Array<[RegExp, string]> = [
  [/^agents-concurrency-/, "--agents-concurrency-<type>"],
  [/-agent-port$/, "--manager-agent-port` … `--qa-agent-port"],
];

describe("the README's configuration table", () => {
  it("documents every option's flag", () => {
    const missing = [
      ...CONFIG_OPTIONS.map((o) => o.flag),
      ...Object.values(META_OPTIONS).map((o) => o.flag),
    ].filter((flag) => {
      const family = FAMILIES.find(([pattern]) => pattern.test(flag));
      return !readme.includes(family ? family[1] : `\`--${flag}\``);
    });
    expect(missing).toEqual([]);
  });

  it("states each option's default as the schema does", () => {
    for (const option of CONFIG_OPTIONS) {
      if (FAMILIES.some(([pattern]) => pattern.test(option.flag))) continue;
      const row = readme.split("\n").find((line) => line.startsWith(`| \`--${option.flag}\``));
      if (!row) continue;
      const fallback = option.schema.default as unknown;
      if (typeof fallback === "number" || (typeof fallback === "string" && fallback !== "")) {
        const cells = row.split("|").map((cell) => cell.trim());
        expect(cells, option.flag).toContain(String(fallback));
      }
    }
  });
});

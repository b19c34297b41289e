import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  civilFromDays,
  DAY_COUNT,
  dayOfRow,
  dayStarts,
  daysFromCivil,
  FIRST_DAY,
  isoDate,
} from "../../src/datagen/calendar.ts";
import { Rng, STREAM } from "../../src/datagen/rng.ts";

describe("sales calendar", () => {
  it("spans 2021-01-01 to 2024-12-31: 1,461 days", () => {
    assert.equal(isoDate(FIRST_DAY), "2021-01-01");
    assert.equal(DAY_COUNT, 1_461);
    assert.equal(isoDate(FIRST_DAY + DAY_COUNT - 1), "2024-12-31");
    assert.equal(daysFromCivil(1970, 1, 1), 0);
  });

  it("day numbers and dates agree with Date for every day from 1900 to 2100", () => {
    for (let days = daysFromCivil(1900, 1, 1); days <= daysFromCivil(2100, 12, 31); days++) {
      const expected = new Date(days * 86_400_000).toISOString().slice(0, 10);
      assert.equal(isoDate(days), expected);
      const [y, m, d] = civilFromDays(days);
      assert.equal(daysFromCivil(y, m, d), days);
    }
  });

  it("spreads exactly the rows over the days, and dayOfRow finds each row's day", () => {
    for (const rows of [0, 1, 1_000, 123_457]) {
      const starts = dayStarts(42, rows);
      assert.equal(starts.length, DAY_COUNT + 1);
      assert.equal(starts[0], 0);
      assert.equal(starts[DAY_COUNT], rows);
      for (let d = 0; d < DAY_COUNT; d++) assert.ok((starts[d] as number) <= (starts[d + 1] as number));
    }
    const starts = dayStarts(42, 123_457);
    for (const row of [0, 1, 50_000, 123_456]) {
      const day = dayOfRow(starts, row);
      assert.ok((starts[day] as number) <= row && row < (starts[day + 1] as number), `row ${row}`);
    }
    assert.deepEqual(dayStarts(42, 5_000), dayStarts(42, 5_000));
  });

  it("the busiest day of the year is Black Friday or just before Christmas", () => {
    const starts = dayStarts(42, 1_000_000);
    for (const year of [2021, 2022, 2023, 2024]) {
      let best = -1;
      let bestRows = -1;
      for (let d = daysFromCivil(year, 1, 1) - FIRST_DAY; d <= daysFromCivil(year, 12, 31) - FIRST_DAY; d++) {
        const rows = (starts[d + 1] as number) - (starts[d] as number);
        if (rows > bestRows) [best, bestRows] = [d, rows];
      }
      assert.match(isoDate(FIRST_DAY + best), new RegExp(`^${year}-(11-2[3-9]|12-(1[89]|2[0-3]))$`));
    }
  });
});

describe("Rng", () => {
  it("equal (seed, stream, index) give equal sequences; another index gives another", () => {
    const draw = (index: number) => {
      const rng = new Rng(42, STREAM.sales, index);
      return Array.from({ length: 5 }, () => rng.next());
    };
    assert.deepEqual(draw(3), draw(3));
    assert.notDeepEqual(draw(3), draw(4));
    const rng = new Rng(0, 0, 0);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      assert.ok(f >= 0 && f < 1);
      const n = rng.int(7);
      assert.ok(Number.isInteger(n) && n >= 0 && n < 7);
    }
  });
});

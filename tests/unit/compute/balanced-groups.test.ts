import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balancedGroups } from "@/lib/compute/balanced-groups";

describe("balancedGroups", () => {
  it("puts the heaviest items in different groups and keeps input order inside a group", () => {
    const groups = balancedGroups(
      [
        { key: "A", weight: 10 },
        { key: "B", weight: 9 },
        { key: "C", weight: 2 },
        { key: "D", weight: 1 },
      ],
      2,
    );
    expect(groups).toEqual([["A", "D"], ["B", "C"]]);
  });

  it("makes no empty groups", () => {
    expect(balancedGroups([{ key: "A", weight: 1 }], 4)).toEqual([["A"]]);
    expect(balancedGroups([], 3)).toEqual([]);
    expect(balancedGroups([{ key: "A", weight: 0 }, { key: "B", weight: 0 }], 2)).toEqual([["A"], ["B"]]);
  });

  it("places every key exactly once, and no group exceeds the ideal share by more than the heaviest item", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.oneof(fc.constant(0), fc.nat(1000)) }), { selector: (w) => w.key, maxLength: 60 }),
        fc.integer({ min: 1, max: 6 }),
        (items, n) => {
          const groups = balancedGroups(items, n);
          expect(groups.flat().sort()).toEqual(items.map((i) => i.key).sort());
          expect(groups.length).toBe(Math.min(n, items.length));
          const weight = new Map(items.map((i) => [i.key, i.weight]));
          const total = items.reduce((s, i) => s + i.weight, 0);
          const heaviest = Math.max(0, ...items.map((i) => i.weight));
          for (const g of groups) {
            expect(g.reduce((s, k) => s + weight.get(k)!, 0)).toBeLessThanOrEqual(total / groups.length + heaviest);
          }
        },
      ),
    );
  });
});

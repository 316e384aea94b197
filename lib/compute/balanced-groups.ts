// Splits work items into groups of about equal weight, for work done on several connections at
// once: the heaviest item goes first, each to the group with the least weight so far (LPT).

export interface Weighted {
  key: string;
  weight: number;
}

/** At most `groups` non-empty groups; every key in exactly one; keys keep their input order within a group. */
export function balancedGroups(items: readonly Weighted[], groups: number): string[][] {
  const n = Math.max(1, Math.min(Math.floor(groups), items.length));
  const order = items.map((item, index) => ({ ...item, index })).sort((a, b) => b.weight - a.weight || a.index - b.index);
  const loads = Array.from({ length: n }, () => ({ weight: 0, members: [] as { key: string; index: number }[] }));
  for (const item of order) {
    const lightest = loads.reduce((min, g) =>
      g.weight < min.weight || (g.weight === min.weight && g.members.length < min.members.length) ? g : min,
    );
    lightest.weight += Math.max(0, item.weight);
    lightest.members.push(item);
  }
  return loads.filter((g) => g.members.length > 0).map((g) => g.members.sort((a, b) => a.index - b.index).map((m) => m.key));
}

import { byChineseName } from '../../workflows/vocabulary';

/*
 * Reports sort thousands of projects by name on every request, and the
 * pinyin collator costs microseconds a comparison. So every name seen keeps
 * its place in pinyin order, worked out again only when new names appear
 * (the sort then finds the known names already in order and costs little).
 */
const ordered: string[] = [];
let places = new Map<string, number>();

function place(names: readonly string[]): void {
  const fresh = new Set(names.filter((name) => !places.has(name)));
  if (fresh.size === 0) return;
  ordered.push(...fresh);
  ordered.sort(byChineseName);
  places = new Map(ordered.map((name, i) => [name, i]));
}

/** Sorts `items` in place by `first`, then by name in pinyin order (workflows/vocabulary.ts byChineseName). */
export function sortByName<T>(items: T[], nameOf: (item: T) => string, first: (a: T, b: T) => number = () => 0): T[] {
  const names = items.map(nameOf);
  place(names);
  const placed = items.map((item, i) => ({ item, place: places.get(names[i]!)! }));
  placed.sort((a, b) => first(a.item, b.item) || a.place - b.place);
  placed.forEach(({ item }, i) => (items[i] = item));
  return items;
}

/**
 * What a getter in an object literal costs the young-generation collector (ANALYSIS.md, item 31):
 * `node --expose-gc packages/bench/tools/literal-getter.mjs`.
 *
 * Makes 20,000 short-lived objects, each reaching a 100-element array, three ways, and reports how much of them
 * the next two young collections promoted to the old generation instead of freeing. V8 keeps the accessor pair of
 * a literal's getter in old space; the getter is a closure over the object's data, so until the next full
 * collection that data looks alive to the young collector, which copies it and then promotes it. A getter on a
 * class's prototype is shared and references nothing per object.
 */
import v8 from 'node:v8';

const gc = globalThis.gc;
if (typeof gc !== 'function') {
  console.error('run with --expose-gc');
  process.exit(2);
}
const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;

function promotedPerObject(make, count = 20_000) {
  for (let i = 0; i < 2_000; i++) make(i); // warm-up: compiled code and its feedback are not what is measured
  gc();
  const before = oldSpace();
  for (let i = 0; i < count; i++) make(i);
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  return (oldSpace() - before) / count;
}

class WithGetter {
  constructor(data) {
    this.data = data;
  }
  get size() {
    return this.data.length;
  }
}

const cases = {
  'object literal with a getter': (i) => {
    const data = new Array(100).fill(i);
    return {
      get size() {
        return data.length;
      },
    };
  },
  'class with a getter': (i) => new WithGetter(new Array(100).fill(i)),
  'object literal with a method': (i) => {
    const data = new Array(100).fill(i);
    return { size: () => data.length };
  },
};

for (const [label, make] of Object.entries(cases)) {
  console.log(`${label.padEnd(30)} ${promotedPerObject(make).toFixed(0).padStart(5)} bytes promoted per object`);
}

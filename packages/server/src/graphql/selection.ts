import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** Calls `visit` for each field selected directly in `sets`, inline and named fragments followed. */
function eachField(info: GraphQLResolveInfo, sets: readonly (SelectionSetNode | undefined)[], visit: (field: FieldNode) => void): void {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === 'InlineFragment') walk(sel.selectionSet);
      else if (sel.kind === 'FragmentSpread') {
        if (seen.has(sel.name.value)) continue;
        seen.add(sel.name.value);
        walk(info.fragments[sel.name.value]?.selectionSet);
      } else visit(sel);
    }
  };
  for (const set of sets) walk(set);
}

/** The occurrences of the field `name` directly under the resolved field. */
export function subfieldNodes(info: GraphQLResolveInfo, name: string): FieldNode[] {
  const found: FieldNode[] = [];
  eachField(
    info,
    info.fieldNodes.map((n) => n.selectionSet),
    (f) => {
      if (f.name.value === name) found.push(f);
    },
  );
  return found;
}

/** Names of the fields selected directly under the resolved field (`under` null) or under its field `under`. */
export function selectedUnder(info: GraphQLResolveInfo, under: string | null): Set<string> {
  const sets = under === null ? info.fieldNodes.map((n) => n.selectionSet) : subfieldNodes(info, under).map((n) => n.selectionSet);
  const names = new Set<string>();
  eachField(info, sets, (f) => names.add(f.name.value));
  return names;
}

import {
  GraphQLError,
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Ctx } from './context';
import { AppError } from '../common/errors';

/**
 * Document limits. The deepest query the console, the tests and the benchmark send is well below
 * MAX_DEPTH (a field counts as one level, its leaf fields included); an attacker's depth-12 query is not.
 */
export const QUERY_LIMITS = {
  maxDepth: 11,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 1000,
  maxCost: 5000,
  /** Rows a document may ask for through nested lists: 500 × 500 passes, 500 × 500 × 500 does not. */
  maxListRows: 500_000,
} as const;

/** API.md: `limit` defaults to 50 and more than 500 is refused. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

const REFUSED = {
  vi: 'Truy vấn vượt quá giới hạn cho phép của máy chủ',
  en: 'The query exceeds what the server accepts',
};

/** Armor's rejections carry our bilingual message and never the limit or the measured value. */
const reject = (ctx: ValidationContext | null) => {
  ctx?.reportError(new GraphQLError(REFUSED.vi, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', i18n: REFUSED } }));
};

const armorRule = { exposeLimits: false, propagateOnRejection: false, onReject: [reject] };

const SUGGESTION = /\s*Did you mean[^?]*\?/g;
// graphql-js 16 says "more that N tokens".
const TOKEN_LIMIT = /contains more th\w+ \d+ tokens/;

/**
 * Last line of the document checks: no schema hints in messages ("Did you mean …" also covers
 * enum values and input fields, which graphql-armor's mask misses), and graphql-js's own token
 * limit (used instead of armor's parser plugin, whose refusal escapes Apollo's error handling as a
 * 500) answered without revealing the limit.
 */
const hideHints: ApolloServerPlugin<Ctx> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (TOKEN_LIMIT.test(error.message)) {
            error.message = REFUSED.vi;
            Object.assign(error.extensions, { i18n: REFUSED });
          } else if (error.message.includes('Did you mean')) {
            error.message = error.message.replace(SUGGESTION, '');
          }
        }
      },
    };
  },
};

/** graphql-js 16 only notices at execution that the schema has no subscriptions; refuse such documents while validating. */
const knownOperationTypes: ValidationRule = (ctx) => ({
  OperationDefinition(node) {
    if (!ctx.getSchema().getRootType(node.operation)) {
      const msg = { vi: `Lược đồ không có thao tác ${node.operation}`, en: `The schema has no ${node.operation} operations` };
      ctx.reportError(new GraphQLError(msg.vi, { nodes: node, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', i18n: msg } }));
    }
  },
});

function limitOf(field: FieldNode, variables: Record<string, unknown>): number {
  const arg = field.arguments?.find((a) => a.name.value === 'limit');
  let n: unknown = DEFAULT_LIMIT;
  if (arg?.value.kind === Kind.INT) n = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) n = variables[arg.value.name.value] ?? DEFAULT_LIMIT;
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(MAX_LIMIT, Math.max(1, Math.trunc(n))) : DEFAULT_LIMIT;
}

/**
 * How many rows the operation may fetch through its lists: every field with a `limit` argument
 * multiplies what is below it by its limit. graphql-armor's cost limit only knows `first`/`last`,
 * so nested lists (`units(limit: 500) { nodes { children(limit: 500) { … } } }`) are measured here.
 * Linear in the multiplier, so each fragment is measured once.
 */
export function listRows(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const perFragment = new Map<string, number>();
  const rows = (set: SelectionSetNode, type: GraphQLNamedType | undefined | null): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue;
        const def = type.getFields()[sel.name.value];
        if (!def) continue;
        const below = rows(sel.selectionSet, getNamedType(def.type));
        total += def.args.some((a) => a.name === 'limit') ? limitOf(sel, variables) * (1 + below) : below;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += rows(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type);
      } else {
        const name = sel.name.value;
        if (!perFragment.has(name)) {
          perFragment.set(name, 0); // validation has already refused cycles; this only guards the walk
          const f = fragments.get(name);
          perFragment.set(name, f ? rows(f.selectionSet, schema.getType(f.typeCondition.name.value)) : 0);
        }
        total += perFragment.get(name)!;
      }
    }
    return total;
  };
  return rows(operation.selectionSet, schema.getRootType(operation.operation));
}

/** Refuses, before execution, an operation whose nested lists could return more than `maxListRows` rows. */
const listFanOut: ApolloServerPlugin<Ctx> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, request }) {
        if (operation && listRows(schema, document, operation, request.variables ?? {}) > QUERY_LIMITS.maxListRows) {
          throw new GraphQLError(REFUSED.vi, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', i18n: REFUSED, http: { status: 400 } } });
        }
      },
    };
  },
};

const NUL_REFUSED = {
  vi: 'Chuỗi ký tự không được chứa ký tự NUL (\\u0000)',
  en: 'Strings must not contain the NUL character (\\u0000)',
};

const hasNul = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\u0000')
    : Array.isArray(v)
      ? v.some(hasNul)
      : !!v && typeof v === 'object' && Object.values(v).some(hasNul);

/**
 * Refuses, before execution, any string argument holding a NUL character (in a variable, or written in the
 * query, escaped): PostgreSQL cannot store or compare it, so it would fail deep in a statement as an
 * internal error. The caller gets BAD_USER_INPUT instead, and nothing runs.
 */
const noNulCharacters: ApolloServerPlugin<Ctx> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        let found = hasNul(request.variables);
        const text = request.query ?? '';
        if (!found && (text.includes('\u0000') || text.includes('\\u0000'))) {
          visit(document, {
            StringValue(node) {
              if (node.value.includes('\u0000')) found = true;
            },
          });
        }
        if (found)
          throw new GraphQLError(NUL_REFUSED.vi, { extensions: { code: 'BAD_USER_INPUT', i18n: NUL_REFUSED, http: { status: 400 } } });
      },
    };
  },
};

export interface QueryArmor {
  plugins: ApolloServerPlugin<Ctx>[];
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/** graphql-armor's validation rules plus our message hygiene, ready to spread into ApolloServer's options. */
export function queryArmor(): QueryArmor {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...armorRule },
    // Aliased __typename counts too: a thousand of them is still a thousand fields to answer.
    maxAliases: { n: QUERY_LIMITS.maxAliases, allowList: [], ...armorRule },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...armorRule },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ...armorRule },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: true, mask: '' },
  }).protect();
  return {
    // graphql-armor's typings clash with Apollo's ESM typings; the runtime objects are Apollo plugins.
    // hideHints first: it removes whole "Did you mean …?" sentences before armor's narrower mask sees them.
    plugins: [hideHints, listFanOut, noNulCharacters, ...(armor.plugins as unknown as ApolloServerPlugin<Ctx>[])],
    validationRules: [knownOperationTypes, ...(armor.validationRules as unknown as ValidationRule[])],
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
  };
}

let lastOutageLog = 0;

/**
 * The database did not answer while the request was being set up (authentication): a masked
 * INTERNAL_SERVER_ERROR with HTTP 503 and Retry-After, already in the caller's language because
 * this answer skips the usual response plugins. The cause goes to the log only.
 */
export function databaseUnavailable(lang: 'vi' | 'en', cause: unknown): AppError {
  // One line per 10 s is enough to see an outage; every refused request would flood the log.
  if (Date.now() - lastOutageLog > 10_000) {
    lastOutageLog = Date.now();
    console.error('[database unavailable]', cause instanceof Error ? cause.message : cause);
  }
  const msg = {
    vi: 'Máy chủ tạm thời không truy cập được cơ sở dữ liệu; hãy thử lại sau',
    en: 'The server cannot reach its database right now; try again shortly',
  };
  const error = new AppError('INTERNAL_SERVER_ERROR', msg, { http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } });
  error.message = msg[lang];
  delete (error.extensions as Record<string, unknown>).i18n;
  return error;
}

import {
  GraphQLError,
  GraphQLScalarType,
  GraphQLSchema,
  Kind,
  execute,
  getOperationAST,
  getVariableValues,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  isInputObjectType,
  typeFromAST,
  visit,
  type NamedTypeNode,
  type TypeNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import type { Ctx } from './context';
import { requireTransaction } from '../db/sql';

/**
 * Queries run as functions compiled once per document (graphql-jit) instead of graphql-js's interpreter,
 * which builds a resolve-info object and walks the selection again for every field of every row and
 * answers with null-prototype objects that JSON.stringify takes its slow path on (packages/bench: Q1, Q7).
 * Mutations keep graphql-js: they run one root field at a time, where compiling buys nothing.
 *
 * Behaviour stays graphql-js's where callers can see it:
 * - variables are coerced by graphql-js, so a bad variable gets graphql-js's message (and Apollo's
 *   BAD_USER_INPUT) and nothing runs;
 * - every error in the answer is a graphql-js GraphQLError carrying its original error and extensions, so
 *   error codes, localization and masking work as for interpreted queries.
 */

/**
 * Input-object variables reach compiled queries already coerced by graphql-js, typed as this pass-through
 * scalar: graphql-jit would otherwise compile a parser for each input type by inlining it, which never ends
 * for our recursive filters (`and`/`or`/`not`). Scalar and enum variables (which `@skip`/`@include` must see
 * typed) are coerced by graphql-jit as graphql-js would.
 */
const COERCED = new GraphQLScalarType({ name: 'CoercedByGraphQLJs', parseValue: (v) => v, serialize: (v) => v });
const withCoercedScalar = new WeakMap<GraphQLSchema, GraphQLSchema>();

function compilationSchema(schema: GraphQLSchema): GraphQLSchema {
  let extended = withCoercedScalar.get(schema);
  if (!extended) {
    const config = schema.toConfig();
    withCoercedScalar.set(schema, (extended = new GraphQLSchema({ ...config, types: [...config.types, COERCED] })));
  }
  return extended;
}

interface Compiled {
  query: CompiledQuery;
  /** Variables whose graphql-js-coerced value the query takes. */
  coercedVariables: string[];
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Compiled | null {
  const coercedVariables: string[] = [];
  const compilable = visit(document, {
    VariableDefinition(node) {
      if (!isInputObjectType(typeFromAST(schema, unwrapped(node.type)))) return undefined;
      coercedVariables.push(node.variable.name.value);
      return { ...node, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: COERCED.name } }, defaultValue: undefined };
    },
  });
  const result = compileQuery(compilationSchema(schema), compilable, operationName, { disablingCapturingStackErrors: true });
  if (isCompiledQuery(result)) return { query: result, coercedVariables };
  // What graphql-jit cannot compile is interpreted by graphql-js, with graphql-js's own errors (once per document).
  console.warn('[compiled queries] interpreting a document graphql-jit cannot compile:', result.errors?.[0]?.message);
  return null;
}

const unwrapped = (type: TypeNode): NamedTypeNode => (type.kind === Kind.NAMED_TYPE ? type : unwrapped(type.type));

/** An operation run once so far: interpreted, and compiled if it comes again. */
const SEEN_ONCE = 'seen once';

/**
 * Compiled operations per parsed document (Apollo hands the same DocumentNode back for the same text).
 * An operation is compiled the second time it runs: compiling costs 1–10 ms (packages/bench/results/ANALYSIS.md),
 * more than interpreting one answer, so a one-off query (an analyst's ad-hoc question, or a stream of distinct
 * texts sent to waste our CPU) is never compiled, while the texts clients send over and over are.
 */
const compiled = new WeakMap<DocumentNode, Map<string, Compiled | null | typeof SEEN_ONCE>>();

function compiledFor(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Compiled | null {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  const known = byName.get(key);
  if (known === undefined) {
    byName.set(key, SEEN_ONCE);
    return null;
  }
  if (known !== SEEN_ONCE) return known;
  const query = compile(schema, document, operationName);
  byName.set(key, query);
  return query;
}

/** graphql-jit's error objects (read-only message, no nodes) as graphql-js errors. */
function asGraphQLError(error: GraphQLError | GraphQLFormattedError): GraphQLError {
  const original = (error as GraphQLError).originalError ?? undefined;
  if (error instanceof GraphQLError && Object.getOwnPropertyDescriptor(error, 'message')?.writable) return error;
  if (original instanceof GraphQLError && original.path) return original;
  const converted = new GraphQLError(original?.message ?? error.message, {
    path: error.path,
    originalError: original,
    extensions: (original as GraphQLError | undefined)?.extensions ?? error.extensions,
  });
  if (error.locations?.length) Object.assign(converted, { locations: error.locations });
  return converted;
}

/** How many operations each path ran (tests check that queries take the compiled one). */
export const executionCounts = { compiled: 0, interpreted: 0 };

export function executeRequest(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  rawVariables: Record<string, unknown> | undefined,
  contextValue: Ctx,
): Promise<ExecutionResult> | ExecutionResult {
  const operation = getOperationAST(document, operationName);
  // A query reads, statement by statement; a mutation's statements are one transaction, committed before the answer.
  if (operation?.operation === 'mutation') requireTransaction(contextValue.em);
  const query =
    operation?.operation === 'query' && contextValue.config.compiledQueries ? compiledFor(schema, document, operationName) : null;
  if (!operation || !query) {
    executionCounts.interpreted++;
    return execute({ schema, document, operationName, variableValues: rawVariables, contextValue });
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 50 });
  if (coerced.errors) return { errors: coerced.errors };
  executionCounts.compiled++;
  const finish = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  const variables: Record<string, unknown> = { ...rawVariables };
  for (const name of query.coercedVariables) variables[name] = coerced.coerced[name];
  const result = query.query.query(undefined, contextValue, variables);
  return result instanceof Promise ? result.then(finish) : finish(result);
}

/**
 * The executor, plugged in through Apollo's gateway interface, the one place Apollo lets a server replace
 * `execute`; parsing, validation, plugins and error formatting stay Apollo's.
 */
type Gateway = ApolloServerOptionsWithGateway<Ctx>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;

export function compiledExecutionGateway(schema: GraphQLSchema): Gateway {
  const executor: Executor = (requestContext) =>
    Promise.resolve(
      executeRequest(
        schema,
        requestContext.document,
        requestContext.request.operationName ?? undefined,
        requestContext.request.variables,
        requestContext.context as unknown as Ctx,
      ),
    ) as ReturnType<Executor>;
  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config';
import { buildAppSchema } from './graphql/schema';
import { compiledExecutionGateway } from './graphql/executor';
import { formatError, localizeErrors } from './graphql/errors-format';
import { Loaders } from './graphql/loaders';
import type { AuditNote, Ctx, Lang } from './graphql/context';
import { authenticate, loadSigningKey } from './auth/tokens';
import { sql } from './db/sql';
import { endBeforeAnswer, openAuthenticatedRequest } from './db/rls';
import { startCallerCache } from './auth/caller-cache';
import { unauthenticated, type Msg } from './common/errors';
import type { Authentication, Caller } from './auth/roles';
import { visit, type DocumentNode } from 'graphql';
import { databaseUnavailable, queryArmor } from './graphql/armor';
import { graphqlHttpHandler, type GraphqlRequest } from './graphql/http';
import { rateLimitPlugin } from './auth/rate-limit';
import { serveConsole } from './console-static';
import { warningsPlugin } from './modules/calendar/calendar.warnings';
import { registerFileRoutes } from './modules/files/file.routes';

export interface App {
  /** The server's request listener: /graphql (graphql/http.ts), everything else through Express. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  apollo: ApolloServer<Ctx>;
  stop(): Promise<void>;
}

/** `/graphql`, with or without a trailing slash or a query string, in any case (as Express routed it). */
const isGraphqlPath = (url: string | undefined) => !!url && /^\/graphql\/?(\?|$)/i.test(url);

/** A request whose whole document is `{ __typename }` (optionally named `query X`). */
const asksOnlyTypename = (body: unknown): boolean =>
  typeof (body as { query?: unknown })?.query === 'string' &&
  /^\s*(query(\s+\w+)?\s*)?\{\s*__typename\s*\}\s*$/.test((body as { query: string }).query);

const langOf = (header: string | undefined): Lang => (header && /^\s*en\b/i.test(header) ? 'en' : 'vi');

/** Picks each error message's language once the response is ready. */
const localizePlugin: ApolloServerPlugin<Ctx> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single' && response.body.singleResult.errors) {
          response.body.singleResult.errors = localizeErrors(response.body.singleResult.errors, contextValue?.lang ?? 'vi');
        }
      },
    };
  },
};

/** Whether a document asks for `__schema` or `__type`; remembered per parsed document (Apollo reuses them). */
const introspects = new WeakMap<DocumentNode, boolean>();
const hasIntrospection = (doc: DocumentNode) => {
  let found = introspects.get(doc);
  if (found === undefined) {
    found = false;
    visit(doc, {
      Field(node) {
        if (node.name.value === '__schema' || node.name.value === '__type') found = true;
      },
    });
    introspects.set(doc, found);
  }
  return found;
};

/** In production only signed-in callers may introspect the schema. */
const introspectionGuard = (production: boolean): ApolloServerPlugin<Ctx> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ document, contextValue }) {
        if (production && !contextValue.caller && hasIntrospection(document)) {
          const refusal = unauthenticated({ vi: 'Cần đăng nhập để xem lược đồ', en: 'Sign in to introspect the schema' });
          // Refused before execution: without a status of its own Apollo would answer 500.
          Object.assign(refusal.extensions, { http: { status: 401 } });
          throw refusal;
        }
      },
    };
  },
});

/**
 * A GraphQL request's context. A class, not an object literal: a literal's getter closing over the request kept
 * the request alive until the next full collection (graphql/http.ts `IncomingGraphqlRequest`).
 */
class RequestContext implements Ctx {
  caller: Caller | undefined;
  authRefusal: Msg | undefined;
  audit: AuditNote = {};
  loaders: Loaders;

  constructor(
    public em: EntityManager,
    who: Authentication,
    readonly requestId: string,
    readonly lang: Lang,
    readonly config: Config,
    private readonly request: GraphqlRequest,
  ) {
    this.caller = who.caller;
    this.authRefusal = who.refusal;
    this.loaders = new Loaders(() => this);
  }

  get clientAddress(): string | undefined {
    return this.request.clientAddress;
  }
}

export async function createApp(orm: MikroORM, config: Config): Promise<App> {
  await loadSigningKey(orm.em.fork());
  // Who a known session or API key is, kept in memory and emptied whenever that may have changed.
  const stopCallerCache = await startCallerCache(String(orm.config.get('clientUrl')));
  const schema = await buildAppSchema();
  const production = config.nodeEnv === 'production';
  const armor = queryArmor();
  const apollo = new ApolloServer<Ctx>({
    // The schema, executed by compiled queries (graphql/executor.ts).
    gateway: compiledExecutionGateway(schema),
    introspection: true,
    includeStacktraceInErrorResponses: !production,
    allowBatchedHttpRequests: false,
    // main.ts stops the server on SIGTERM/SIGINT itself (HTTP, Apollo, the pool, in order): Apollo's own signal
    // handler stopped it concurrently, and the shutdown then never finished (the process had to be killed).
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    formatError: (formatted, error) => formatError(formatted, error, !production),
    validationRules: armor.validationRules,
    parseOptions: armor.parseOptions,
    plugins: [
      // We send no cache hints; the default cache-control plugin would still instrument every field.
      ApolloServerPluginCacheControlDisabled(),
      localizePlugin,
      warningsPlugin,
      introspectionGuard(production),
      rateLimitPlugin(config),
      ...armor.plugins,
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers are POST responses no cache revalidates; hashing every body for an ETag cost CPU per request
  // (a Q1 answer is 73 kB; packages/bench). Console files keep theirs (express.static sets its own).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await sql(orm.em.fork(), 'SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  registerFileRoutes(app, orm, config);

  const graphql = graphqlHttpHandler(apollo, config.bodyLimitBytes, async (req: GraphqlRequest) => {
    const em = orm.em.fork();
    const lang = langOf(req.header('accept-language'));
    const unavailable = (e: unknown) => {
      // A database that does not answer fails the request at once, masked, with 503.
      throw databaseUnavailable(lang, e);
    };
    let who: Authentication;
    if (asksOnlyTypename(req.body)) {
      // `{ __typename }` (health and start-up probes) touches no table, so it needs no transaction.
      who = await authenticate(em, req.header('authorization')).catch(unavailable);
    } else {
      // Defense in depth: every statement of the request runs as the RLS-bound request role with the caller's
      // scope, on one connection; in one transaction if the request writes (db/request-transaction.ts).
      who = await openAuthenticatedRequest(em, req.header('authorization')).catch(unavailable);
      endBeforeAnswer(req, em);
    }
    return new RequestContext(em, who, (req.header('x-request-id') || randomUUID()).slice(0, 100), lang, config, req);
  });

  // Last, so /files, /healthz and /readyz keep their own handlers (/graphql never reaches Express).
  serveConsole(app);

  return {
    handler: (req, res) => (isGraphqlPath(req.url) ? graphql(req, res) : app(req, res)),
    apollo,
    stop: async () => {
      await apollo.stop();
      await stopCallerCache();
    },
  };
}

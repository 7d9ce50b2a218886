import type { ApolloServerPlugin } from '@apollo/server';
import type { Msg } from '../../common/errors';
import type { Ctx } from '../../graphql/context';

const pending = new WeakMap<object, Msg[]>();

/** Notes a non-fatal warning for the response's `extensions.warnings`. */
export function addWarning(ctx: Ctx, msg: Msg): void {
  const list = pending.get(ctx) ?? [];
  if (!list.some((m) => m.vi === msg.vi)) list.push(msg);
  pending.set(ctx, list);
}

/** Puts the request's warnings, in its language, into `extensions.warnings`. */
export const warningsPlugin: ApolloServerPlugin<Ctx> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        const list = contextValue ? pending.get(contextValue) : undefined;
        if (!list?.length || response.body.kind !== 'single') return;
        const lang = contextValue.lang ?? 'vi';
        const result = response.body.singleResult;
        result.extensions = { ...(result.extensions ?? {}), warnings: list.map((m) => m[lang]) };
      },
    };
  },
};

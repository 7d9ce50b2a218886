import { Args, Ctx as GqlCtx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { defineList, listPage, SortDirection, wantsTotal, type ListArgsShape } from '../../graphql/list';
import { AuditEvent } from '../../audit/audit-event.entity';
import { User } from '../users/user.entity';

export const auditList = defineList({
  name: 'AuditEvent',
  entity: AuditEvent,
  gqlType: () => AuditEvent,
  table: 'audit_event',
  noArchive: true,
  unitLink: { column: 't.unit_id' },
  fields: {
    id: { kind: 'id', column: 't.id' },
    entityType: { kind: 'string', column: 't.entity_type' },
    entityId: { kind: 'id', column: 't.entity_id' },
    actorId: { kind: 'id', column: 't.actor_id' },
    operation: { kind: 'string', column: 't.operation' },
    outcome: { kind: 'string', column: 't.outcome' },
    requestId: { kind: 'string', column: 't.request_id' },
    at: { kind: 'datetime', column: 't.at' },
    updatedAt: { kind: 'datetime', column: 't.at' },
  },
  sort: { AT: { column: 't.at' } },
  defaultSort: [{ field: 'AT', direction: SortDirection.DESC }],
});

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Query(() => auditList.Connection, { description: 'ADMIN: all events; COORDINATOR: events about units in its scope' })
  auditEvents(@Args(() => auditList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, auditList, args, wantsTotal(info));
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() e: AuditEvent, @GqlCtx() ctx: Ctx) {
    return e.actorId ? ctx.loaders.byId(User, 'app_user').load(e.actorId) : null;
  }
}

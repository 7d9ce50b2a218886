import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { AgencyRole, Unit } from './unit.entity';
import { unitList } from './unit.list';
import { CreateUnitInput, UpdateUnitInput } from './unit.inputs';
import * as units from './unit.service';

const UnitListArgs = unitList.Args;
const UnitConnection = unitList.Connection;

@Resolver(() => Unit)
export class UnitResolver {
  @Allow.read()
  @Query(() => UnitConnection, { description: 'units of every period unless filter.validOn is given' })
  units(@Args(() => UnitListArgs) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, unitList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Unit, { nullable: true })
  unit(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, unitList, id, info);
  }

  @Allow.read()
  @Query(() => Unit, { nullable: true })
  async unitByCode(@Arg('code', () => String) code: string, @GqlCtx() ctx: Ctx) {
    const page = await listPage(ctx, unitList, { filter: { code: { eq: code } }, limit: 1 }, false);
    return page.nodes[0] ?? null;
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Unit)
  createUnit(@Arg('input', () => CreateUnitInput) input: CreateUnitInput, @GqlCtx() ctx: Ctx) {
    return units.createUnit(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Unit)
  updateUnit(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateUnitInput) input: UpdateUnitInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return units.updateUnit(ctx, id, version, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Unit)
  archiveUnit(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return units.archiveUnit(ctx, id, version);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Unit, { description: "names a district's standing agency or finance-planning office; returns the district" })
  setDistrictAgency(
    @Arg('unitId', () => ID) unitId: string,
    @Arg('role', () => AgencyRole) role: AgencyRole,
    @Arg('agencyId', () => ID) agencyId: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return units.setDistrictAgency(ctx, unitId, role, agencyId);
  }

  @FieldResolver(() => Unit, { nullable: true })
  parent(@Root() unit: Unit, @GqlCtx() ctx: Ctx) {
    return unit.parent ? ctx.loaders.byId(Unit, 'unit').load(unit.parent.id) : null;
  }

  @FieldResolver(() => UnitConnection)
  children(@Root() unit: Unit, @Args(() => UnitListArgs) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.connection(unitList, 't.parent_id', args, info).load(unit.id);
  }

  @FieldResolver(() => [Unit], { description: 'from the root down to the parent' })
  async ancestors(@Root() unit: Unit, @GqlCtx() ctx: Ctx) {
    const ids = unit.path.split('/').filter(Boolean).slice(0, -1);
    const found = await ctx.loaders.byId(Unit, 'unit').loadMany(ids);
    return found.filter((u): u is Unit => u instanceof Unit);
  }

  @FieldResolver(() => [Unit])
  successors(@Root() unit: Unit, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        Unit,
        'unitSuccessors',
        'SELECT us.unit_id::text AS __of, u.* FROM unit_successor us JOIN unit u ON u.id = us.successor_id WHERE us.unit_id = ANY(?) ORDER BY u.name COLLATE "vi-VN-x-icu", u.id',
      )
      .load(unit.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: "a district's standing agency or finance-planning office" })
  async agency(@Root() unit: Unit, @Arg('role', () => AgencyRole) role: AgencyRole, @GqlCtx() ctx: Ctx) {
    const found = await ctx.loaders
      .linked(
        Unit,
        `districtAgency:${role}`,
        'SELECT da.unit_id::text AS __of, u.* FROM district_agency da JOIN unit u ON u.id = da.agency_id WHERE da.role = ? AND da.archived_at IS NULL AND da.unit_id = ANY(?)',
        (ids) => [role, ids],
      )
      .load(unit.id);
    return found[0] ?? null;
  }
}

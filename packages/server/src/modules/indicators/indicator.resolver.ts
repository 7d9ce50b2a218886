import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { ProgramComponent } from '../programs/program.entity';
import { Unit } from '../units/unit.entity';
import { IndicatorDimension } from './indicator.enums';
import { Indicator, IndicatorTarget, IndicatorValue } from './indicator.entity';
import { indicatorList, indicatorTargetList, indicatorValueList } from './indicator.list';
import {
  CreateIndicatorInput,
  IndicatorProgressFilter,
  IndicatorProgressRow,
  RecordIndicatorValueInput,
  SetIndicatorTargetInput,
  UpdateIndicatorInput,
} from './indicator.inputs';
import * as indicators from './indicator.service';

@Resolver(() => Indicator)
export class IndicatorResolver {
  @Allow.read()
  @Query(() => indicatorList.Connection, { description: 'the indicator catalog (reference data)' })
  indicators(@Args(() => indicatorList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, indicatorList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Indicator, { nullable: true })
  indicator(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, indicatorList, id, info);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Indicator)
  createIndicator(@Arg('input', () => CreateIndicatorInput) input: CreateIndicatorInput, @GqlCtx() ctx: Ctx) {
    return indicators.createIndicator(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Indicator)
  updateIndicator(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateIndicatorInput) input: UpdateIndicatorInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return indicators.updateIndicator(ctx, id, version, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Indicator)
  archiveIndicator(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return indicators.archiveIndicator(ctx, id, version);
  }

  @Allow.read()
  @Query(() => [IndicatorProgressRow], {
    description:
      'baseline, target, actual and achievement, computed in SQL. Rows are always per indicator (INDICATOR is implied); ' +
      'UNIT groups by the unit of the value, or its ancestor at unitLevel (never above the caller scope root); ' +
      'without YEAR, the phase target (year null) applies and LAST and RATIO take each unit latest year.',
  })
  async indicatorProgress(
    @Arg('filter', () => IndicatorProgressFilter, { nullable: true }) filter: IndicatorProgressFilter | null,
    @Arg('groupBy', () => [IndicatorDimension]) groupBy: IndicatorDimension[],
    @Arg('unitLevel', () => Int, { nullable: true }) unitLevel: number | null,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    const rows = await indicators.indicatorProgress(ctx, filter, groupBy, unitLevel);
    await ctx.loaders.prefetch(info, {
      indicator: [Indicator, 'indicator', rows.map((r) => r.indicatorId)],
      unit: [Unit, 'unit', rows.map((r) => r.unitId)],
    });
    return rows;
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  component(@Root() i: Indicator, @GqlCtx() ctx: Ctx) {
    return i.component ? ctx.loaders.byId(ProgramComponent, 'program_component').load(i.component.id) : null;
  }
}

@Resolver(() => IndicatorTarget)
export class IndicatorTargetResolver {
  @Allow.read()
  @Query(() => indicatorTargetList.Connection)
  indicatorTargets(@Args(() => indicatorTargetList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, indicatorTargetList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => IndicatorTarget, { nullable: true })
  indicatorTarget(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, indicatorTargetList, id, info);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => IndicatorTarget, { description: 'upserts by indicator, unit and year (year null: the phase target)' })
  setIndicatorTarget(@Arg('input', () => SetIndicatorTargetInput) input: SetIndicatorTargetInput, @GqlCtx() ctx: Ctx) {
    return indicators.setIndicatorTarget(ctx, input);
  }

  @FieldResolver(() => Indicator)
  indicator(@Root() t: IndicatorTarget, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Indicator, 'indicator').load(t.indicator.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() t: IndicatorTarget, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(t.unit.id);
  }
}

@Resolver(() => IndicatorValue)
export class IndicatorValueResolver {
  @Allow.read()
  @Query(() => indicatorValueList.Connection)
  indicatorValues(@Args(() => indicatorValueList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, indicatorValueList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => IndicatorValue, { nullable: true })
  indicatorValue(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, indicatorValueList, id, info);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR, Role.COMMUNE_OFFICER)
  @Mutation(() => IndicatorValue, {
    description: 'upserts by indicator, unit, year and period; refused with VALUE_LOCKED once the annual evaluation is accepted',
  })
  recordIndicatorValue(@Arg('input', () => RecordIndicatorValueInput) input: RecordIndicatorValueInput, @GqlCtx() ctx: Ctx) {
    return indicators.recordIndicatorValue(ctx, input);
  }

  @FieldResolver(() => Indicator)
  indicator(@Root() v: IndicatorValue, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Indicator, 'indicator').load(v.indicator.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() v: IndicatorValue, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(v.unit.id);
  }
}

@Resolver(() => IndicatorProgressRow)
export class IndicatorProgressRowResolver {
  @FieldResolver(() => Indicator)
  indicator(@Root() r: IndicatorProgressRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(Indicator, 'indicator', r.indicatorId, info);
  }

  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() r: IndicatorProgressRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(Unit, 'unit', r.unitId, info);
  }
}

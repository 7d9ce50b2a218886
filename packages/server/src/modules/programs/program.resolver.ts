import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { DateScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { DeadlineRule, Program, ProgramComponent } from './program.entity';
import { componentList, programList } from './program.list';
import {
  CreateDeadlineRuleInput,
  CreateProgramComponentInput,
  CreateProgramInput,
  UpdateDeadlineRuleInput,
  UpdateProgramComponentInput,
  UpdateProgramInput,
} from './program.inputs';
import * as programs from './program.service';

@Resolver(() => Program)
export class ProgramResolver {
  @Allow.read()
  @Query(() => programList.Connection)
  programs(@Args(() => programList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, programList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Program, { nullable: true })
  program(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, programList, id, info);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Program)
  createProgram(@Arg('input', () => CreateProgramInput) input: CreateProgramInput, @GqlCtx() ctx: Ctx) {
    return programs.createProgram(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Program)
  updateProgram(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateProgramInput) input: UpdateProgramInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.updateProgram(ctx, id, version, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Program)
  archiveProgram(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return programs.archiveProgram(ctx, id, version);
  }

  @Allow.read()
  @Query(() => [Unit], { description: 'units that owe the program periodic reports (valid on validOn when given)' })
  reportingUnits(
    @Arg('programId', () => ID) programId: string,
    @Arg('validOn', () => DateScalar, { nullable: true }) validOn: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.reportingUnits(ctx, programId, validOn);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => Unit)
  addReportingUnit(
    @Arg('programId', () => ID) programId: string,
    @Arg('unitId', () => ID) unitId: string,
    @Arg('validFrom', () => DateScalar, { nullable: true }) validFrom: string | null,
    @Arg('validTo', () => DateScalar, { nullable: true }) validTo: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.addReportingUnit(ctx, programId, unitId, validFrom, validTo);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => Unit)
  removeReportingUnit(
    @Arg('programId', () => ID) programId: string,
    @Arg('unitId', () => ID) unitId: string,
    @Arg('validTo', () => DateScalar) validTo: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.removeReportingUnit(ctx, programId, unitId, validTo);
  }

  @Allow.read()
  @Query(() => [DeadlineRule])
  deadlineRules(@Arg('programId', () => ID) programId: string, @GqlCtx() ctx: Ctx) {
    return programs.deadlineRules(ctx, programId);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => DeadlineRule)
  createDeadlineRule(@Arg('input', () => CreateDeadlineRuleInput) input: CreateDeadlineRuleInput, @GqlCtx() ctx: Ctx) {
    return programs.createDeadlineRule(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => DeadlineRule)
  updateDeadlineRule(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateDeadlineRuleInput) input: UpdateDeadlineRuleInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.updateDeadlineRule(ctx, id, version, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => DeadlineRule)
  archiveDeadlineRule(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return programs.archiveDeadlineRule(ctx, id, version);
  }

  @FieldResolver(() => [ProgramComponent])
  components(@Root() program: Program, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(ProgramComponent, 'program_component', 'program_id', 'archived_at IS NULL', 'code, id').load(program.id);
  }
}

@Resolver(() => DeadlineRule)
export class DeadlineRuleResolver {
  @FieldResolver(() => Program)
  program(@Root() rule: DeadlineRule, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Program, 'program').load(rule.program.id);
  }
}

@Resolver(() => ProgramComponent)
export class ProgramComponentResolver {
  @Allow.read()
  @Query(() => componentList.Connection)
  programComponents(@Args(() => componentList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, componentList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => ProgramComponent, { nullable: true })
  programComponent(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, componentList, id, info);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => ProgramComponent)
  createProgramComponent(@Arg('input', () => CreateProgramComponentInput) input: CreateProgramComponentInput, @GqlCtx() ctx: Ctx) {
    return programs.createComponent(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => ProgramComponent)
  updateProgramComponent(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateProgramComponentInput) input: UpdateProgramComponentInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.updateComponent(ctx, id, version, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => ProgramComponent)
  archiveProgramComponent(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return programs.archiveComponent(ctx, id, version);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => ProgramComponent, { description: 'names the agency that leads the component in a district' })
  assignLeadAgency(
    @Arg('componentId', () => ID) componentId: string,
    @Arg('unitId', () => ID) unitId: string,
    @Arg('agencyId', () => ID) agencyId: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return programs.assignLeadAgency(ctx, componentId, unitId, agencyId);
  }

  @FieldResolver(() => Program)
  program(@Root() c: ProgramComponent, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Program, 'program').load(c.program.id);
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  parent(@Root() c: ProgramComponent, @GqlCtx() ctx: Ctx) {
    return c.parent ? ctx.loaders.byId(ProgramComponent, 'program_component').load(c.parent.id) : null;
  }

  @FieldResolver(() => [ProgramComponent])
  children(@Root() c: ProgramComponent, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(ProgramComponent, 'program_component', 'parent_id', 'archived_at IS NULL', 'code, id').load(c.id);
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'the agency that leads this component in the given district' })
  async leadAgency(@Root() c: ProgramComponent, @Arg('unitId', () => ID) unitId: string, @GqlCtx() ctx: Ctx) {
    if (!/^\d{1,18}$/.test(unitId)) return null;
    const found = await ctx.loaders
      .linked(
        Unit,
        `leadAgency:${unitId}`,
        `SELECT la.component_id::text AS __of, u.* FROM lead_agency la JOIN unit u ON u.id = la.agency_id
         WHERE la.unit_id = ? AND la.archived_at IS NULL AND la.component_id = ANY(?)`,
        (ids) => [unitId, ids],
      )
      .load(c.id);
    return found[0] ?? null;
  }
}

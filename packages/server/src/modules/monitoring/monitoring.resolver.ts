import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { DateScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { Program, ProgramComponent } from '../programs/program.entity';
import { ReportingObligation } from '../reporting/reporting.entity';
import { RecommendationStatus } from './monitoring.enums';
import { Finding, Mission, MissionMember, MonitoringPlan, Recommendation } from './monitoring.entity';
import { findingList, missionList, missionVisitList, planList, recommendationList } from './monitoring.list';
import {
  CreateFindingInput,
  CreateMissionInput,
  CreateMonitoringPlanInput,
  CreateRecommendationInput,
  UpdateMissionInput,
  UpdateRecommendationInput,
} from './monitoring.inputs';
import * as monitoring from './monitoring.service';

const WRITERS = [Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER];

/** Today on the Vietnam calendar (UTC+7, no daylight saving). */
const todayVn = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

@Resolver(() => MonitoringPlan)
export class MonitoringPlanResolver {
  @Allow.read()
  @Query(() => planList.Connection)
  monitoringPlans(@Args(() => planList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, planList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => MonitoringPlan, { nullable: true })
  monitoringPlan(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, planList, id, info);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => MonitoringPlan)
  createMonitoringPlan(@Arg('input', () => CreateMonitoringPlanInput) input: CreateMonitoringPlanInput, @GqlCtx() ctx: Ctx) {
    return monitoring.createMonitoringPlan(ctx, input);
  }

  @FieldResolver(() => Unit)
  unit(@Root() plan: MonitoringPlan, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(plan.unit.id);
  }

  @FieldResolver(() => missionList.Connection)
  missions(
    @Root() plan: MonitoringPlan,
    @Args(() => missionList.Args) args: ListArgsShape,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.loaders.connection(missionList, 't.plan_id', args, info).load(plan.id);
  }
}

@Resolver(() => Mission)
export class MissionResolver {
  @Allow.read()
  @Query(() => missionList.Connection, { description: "missions whose lead unit or a visited unit lies in the caller's scope" })
  missions(@Args(() => missionList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, missionList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Mission, { nullable: true })
  mission(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, missionList, id, info);
  }

  @Allow.read()
  @Query(() => [Mission], {
    description: 'non-cancelled missions visiting the unit (or units below it) on a day of [from, to], by start date',
  })
  plannedMissions(
    @Arg('unitId', () => ID) unitId: string,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return monitoring.plannedMissions(ctx, unitId, from, to);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Mission, { description: 'MISSION_OVERLAP unless overlapJustification is given' })
  createMission(@Arg('input', () => CreateMissionInput) input: CreateMissionInput, @GqlCtx() ctx: Ctx) {
    return monitoring.createMission(ctx, input);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Mission)
  updateMission(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateMissionInput) input: UpdateMissionInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return monitoring.updateMission(ctx, id, version, input);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Mission, { description: 'PLANNED → IN_PROGRESS' })
  startMission(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return monitoring.startMission(ctx, id, version);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Mission, { description: 'PLANNED or IN_PROGRESS → CANCELLED' })
  cancelMission(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return monitoring.cancelMission(ctx, id, version, reason);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Mission, { description: "IN_PROGRESS → COMPLETED; creates the mission's report obligation" })
  completeMission(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return monitoring.completeMission(ctx, id, version);
  }

  @FieldResolver(() => Program)
  program(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Program, 'program').load(m.program.id);
  }

  @FieldResolver(() => MonitoringPlan, { nullable: true })
  plan(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return m.plan ? ctx.loaders.byId(MonitoringPlan, 'monitoring_plan').load(m.plan.id) : null;
  }

  @FieldResolver(() => Unit)
  leadUnit(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(m.leadUnit.id);
  }

  @FieldResolver(() => [MissionMember], { description: 'the head first' })
  members(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .manyBy(MissionMember, 'mission_member', 'mission_id', 'archived_at IS NULL', "(role = 'HEAD') DESC, sort_order, id")
      .load(m.id);
  }

  @FieldResolver(() => [Unit], { description: 'the units the mission visits' })
  targetUnits(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        Unit,
        'missionTargetUnits',
        `SELECT mtu.mission_id::text AS __of, u.* FROM mission_target_unit mtu JOIN unit u ON u.id = mtu.unit_id
           WHERE mtu.mission_id = ANY(?) ORDER BY u.name COLLATE "vi-VN-x-icu", u.id`,
      )
      .load(m.id);
  }

  @FieldResolver(() => [ProgramComponent], { description: 'the components monitored' })
  components(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        ProgramComponent,
        'missionComponents',
        `SELECT mc.mission_id::text AS __of, c.* FROM mission_component mc JOIN program_component c ON c.id = mc.component_id
           WHERE mc.mission_id = ANY(?) ORDER BY c.code, c.id`,
      )
      .load(m.id);
  }

  @FieldResolver(() => findingList.Connection)
  findings(@Root() m: Mission, @Args(() => findingList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.connection(findingList, 't.mission_id', args, info).load(m.id);
  }

  @FieldResolver(() => recommendationList.Connection)
  recommendations(
    @Root() m: Mission,
    @Args(() => recommendationList.Args) args: ListArgsShape,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.loaders.connection(recommendationList, 't.mission_id', args, info).load(m.id);
  }

  @FieldResolver(() => ReportingObligation, { nullable: true, description: 'the report obligation created on completion' })
  obligation(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        ReportingObligation,
        'missionObligation',
        `SELECT DISTINCT ON (o.mission_id) o.mission_id::text AS __of, o.* FROM reporting_obligation o
           WHERE o.mission_id = ANY(?) AND o.archived_at IS NULL ORDER BY o.mission_id, (o.cancelled_at IS NULL) DESC, o.id DESC`,
      )
      .load(m.id)
      .then((list) => list[0] ?? null);
  }

  @FieldResolver(() => DateScalar, { nullable: true, description: "the report obligation's due date; null before completion" })
  async reportDueDate(@Root() m: Mission, @GqlCtx() ctx: Ctx) {
    const o = await this.obligation(m, ctx);
    return o?.dueDate ?? null;
  }
}

@Resolver(() => MissionMember)
export class MissionMemberResolver {
  @FieldResolver(() => Unit, { nullable: true })
  organization(@Root() m: MissionMember, @GqlCtx() ctx: Ctx) {
    return m.organization ? ctx.loaders.byId(Unit, 'unit').load(m.organization.id) : null;
  }
}

@Resolver(() => Finding)
export class FindingResolver {
  @Allow.read()
  @Query(() => findingList.Connection)
  findings(@Args(() => findingList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, findingList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Finding, { nullable: true })
  finding(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, findingList, id, info);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Finding)
  createFinding(@Arg('input', () => CreateFindingInput) input: CreateFindingInput, @GqlCtx() ctx: Ctx) {
    return monitoring.createFinding(ctx, input);
  }

  @FieldResolver(() => Mission)
  mission(@Root() f: Finding, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Mission, 'mission').load(f.mission.id);
  }

  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() f: Finding, @GqlCtx() ctx: Ctx) {
    return f.unit ? ctx.loaders.byId(Unit, 'unit').load(f.unit.id) : null;
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  component(@Root() f: Finding, @GqlCtx() ctx: Ctx) {
    return f.component ? ctx.loaders.byId(ProgramComponent, 'program_component').load(f.component.id) : null;
  }
}

@Resolver(() => Recommendation)
export class RecommendationResolver {
  @Allow.read()
  @Query(() => recommendationList.Connection)
  recommendations(@Args(() => recommendationList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, recommendationList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Recommendation, { nullable: true })
  recommendation(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, recommendationList, id, info);
  }

  @Allow.roles(...WRITERS)
  @Mutation(() => Recommendation)
  createRecommendation(@Arg('input', () => CreateRecommendationInput) input: CreateRecommendationInput, @GqlCtx() ctx: Ctx) {
    return monitoring.createRecommendation(ctx, input);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER)
  @Mutation(() => Recommendation, { description: 'follow-up by the addressee: OPEN → IN_PROGRESS (optional) → RESOLVED or REJECTED' })
  updateRecommendation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateRecommendationInput) input: UpdateRecommendationInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return monitoring.updateRecommendation(ctx, id, version, input);
  }

  @FieldResolver(() => Mission)
  mission(@Root() r: Recommendation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Mission, 'mission').load(r.mission.id);
  }

  @FieldResolver(() => Finding, { nullable: true })
  finding(@Root() r: Recommendation, @GqlCtx() ctx: Ctx) {
    return r.finding ? ctx.loaders.byId(Finding, 'finding').load(r.finding.id) : null;
  }

  @FieldResolver(() => Unit)
  addressee(@Root() r: Recommendation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(r.addressee.id);
  }

  @FieldResolver(() => Boolean, { description: 'unresolved past the due date (Vietnam calendar)' })
  overdue(@Root() r: Recommendation) {
    const open = r.status === RecommendationStatus.OPEN || r.status === RecommendationStatus.IN_PROGRESS;
    return open && !!r.dueDate && r.dueDate < todayVn();
  }
}

/** API.md's `ReportingObligation.mission`: the reporting module keeps only the id, so the link lives here. */
@Resolver(() => ReportingObligation)
export class ObligationMissionResolver {
  @FieldResolver(() => Mission, { nullable: true, description: 'the monitoring mission whose report this is' })
  mission(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return o.missionId ? ctx.loaders.byId(Mission, 'mission').load(String(o.missionId)) : null;
  }
}

/** The per-unit view: missions that visited it, what they found there, what is still open. */
@Resolver(() => Unit)
export class UnitMonitoringResolver {
  @FieldResolver(() => missionList.Connection, { description: 'missions visiting this unit' })
  missions(@Root() unit: Unit, @Args(() => missionList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.connection(missionVisitList, 't.__visit_unit_id', args, info).load(unit.id);
  }

  @FieldResolver(() => findingList.Connection, { description: 'findings about this unit' })
  findings(@Root() unit: Unit, @Args(() => findingList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.connection(findingList, 't.unit_id', args, info).load(unit.id);
  }

  @FieldResolver(() => recommendationList.Connection, { description: 'recommendations addressed to this unit' })
  recommendations(
    @Root() unit: Unit,
    @Args(() => recommendationList.Args) args: ListArgsShape,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.loaders.connection(recommendationList, 't.addressee_id', args, info).load(unit.id);
  }

  @FieldResolver(() => [Recommendation], {
    description: 'recommendations addressed to this unit, not yet resolved or rejected, soonest due first',
  })
  async openRecommendations(@Root() unit: Unit, @GqlCtx() ctx: Ctx) {
    const page = await ctx.loaders
      .connection(
        recommendationList,
        't.addressee_id',
        {
          filter: { status: { in: [RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS] } },
          limit: 500,
        },
        false,
      )
      .load(unit.id);
    return page.nodes;
  }
}

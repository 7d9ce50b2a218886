import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { DateScalar } from '../../graphql/scalars';
import { sql } from '../../db/sql';
import { Unit } from '../units/unit.entity';
import { User } from '../users/user.entity';
import { Program, ProgramComponent } from '../programs/program.entity';
import { StoredFile } from '../files/file.entity';
import { Report, ReportEvent, ReportingObligation } from './reporting.entity';
import { CompletenessDimension, ObligationStatus } from './reporting.enums';
import { CompletenessFilter, CreateObligationInput, SaveReportInput } from './reporting.inputs';
import { obligationList, reportList } from './reporting.list';
import { daysLateSql, statusSql } from './reporting.sql';
import { CompletenessRow, reportingCompleteness } from './completeness.service';
import * as obligations from './obligation.service';
import * as reports from './report.service';

const OFFICERS = [Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER] as const;

@Resolver(() => ReportingObligation)
export class ReportingObligationResolver {
  @Allow.read()
  @Query(() => obligationList.Connection)
  reportingObligations(@Args(() => obligationList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, obligationList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => ReportingObligation, { nullable: true })
  reportingObligation(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, obligationList, id, info);
  }

  @Allow.signedIn()
  @Query(() => [ReportingObligation], {
    description: "what the caller's units still owe, soonest first (status OVERDUE marks the late ones)",
  })
  myDeadlines(@Arg('limit', () => Int, { nullable: true }) limit: number | null, @GqlCtx() ctx: Ctx) {
    return obligations.myDeadlines(ctx, limit);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Mutation(() => [ReportingObligation], { description: 'creates the missing obligations of a year; returns what it created' })
  generateObligations(
    @Arg('programId', () => ID) programId: string,
    @Arg('year', () => Int) year: number,
    @Arg('underUnit', () => ID, { nullable: true }) underUnit: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return obligations.generateObligations(ctx, programId, year, underUnit);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER)
  @Mutation(() => ReportingObligation)
  createObligation(@Arg('input', () => CreateObligationInput) input: CreateObligationInput, @GqlCtx() ctx: Ctx) {
    return obligations.createObligation(ctx, input);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER)
  @Mutation(() => ReportingObligation)
  cancelObligation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return obligations.cancelObligation(ctx, id, version, reason);
  }

  @Allow.read()
  @Query(() => [CompletenessRow], { description: 'completeness and timeliness as of asOf (default today, Vietnam time)' })
  async reportingCompleteness(
    @Arg('filter', () => CompletenessFilter, { nullable: true }) filter: CompletenessFilter | null,
    @Arg('groupBy', () => [CompletenessDimension]) groupBy: CompletenessDimension[],
    @Arg('unitLevel', () => Int, { nullable: true }) unitLevel: number | null,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf: string | null,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    const rows = await reportingCompleteness(ctx, filter, groupBy, unitLevel, asOf);
    await ctx.loaders.prefetch(info, { unit: [Unit, 'unit', rows.map((r) => r.unitId)] });
    return rows;
  }

  @FieldResolver(() => Program)
  program(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Program, 'program').load(o.program.id);
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  component(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return o.component ? ctx.loaders.byId(ProgramComponent, 'program_component').load(o.component.id) : null;
  }

  @FieldResolver(() => Unit)
  submitter(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(o.submitter.id);
  }

  @FieldResolver(() => [Unit], {
    description:
      "the submitter's district standing agency, finance-planning office and lead agencies unless given explicitly; empty for a unit with no district (communes after the 2025 reform)",
  })
  recipients(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        Unit,
        'obligationRecipients',
        `SELECT x.obligation_id::text AS __of, u.* FROM reporting_obligation_recipient x JOIN unit u ON u.id = x.unit_id
           WHERE x.obligation_id = ANY(?) ORDER BY u.name COLLATE "vi-VN-x-icu", u.id`,
      )
      .load(o.id);
  }

  @FieldResolver(() => Report, { nullable: true })
  async report(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    const found = await ctx.loaders.manyBy(Report, 'report', 'obligation_id').load(o.id);
    return found[0] ?? null;
  }

  private state(o: ReportingObligation, ctx: Ctx) {
    return ctx.loaders
      .custom('obligationState', async (ids) => {
        const rows = await sql<{ id: string; status: ObligationStatus; days_late: number | null }>(
          ctx.em,
          `SELECT o.id::text, ${statusSql('o', 'r')} AS status, (${daysLateSql('o', 'r')})::int AS days_late
           FROM reporting_obligation o LEFT JOIN report r ON r.obligation_id = o.id WHERE o.id = ANY(?)`,
          [[...ids]],
        );
        const by = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => by.get(String(id)) ?? null);
      })
      .load(o.id);
  }

  @FieldResolver(() => ObligationStatus, {
    description: 'computed: PENDING until the due date passes (Vietnam time), then OVERDUE; else the report status',
  })
  async status(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return (await this.state(o, ctx))?.status ?? ObligationStatus.PENDING;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'calendar days from the due date to the standing submission (or to today while unsubmitted); null when not late',
  })
  async daysLate(@Root() o: ReportingObligation, @GqlCtx() ctx: Ctx) {
    return (await this.state(o, ctx))?.days_late ?? null;
  }
}

@Resolver(() => Report)
export class ReportResolver {
  @Allow.read()
  @Query(() => reportList.Connection)
  reports(@Args(() => reportList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, reportList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => Report, { nullable: true })
  report(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, reportList, id, info);
  }

  @Allow.roles(...OFFICERS)
  @Mutation(() => Report, { description: 'creates the draft, or edits it (version required once it exists)' })
  saveReport(@Arg('input', () => SaveReportInput) input: SaveReportInput, @GqlCtx() ctx: Ctx) {
    return reports.saveReport(ctx, input);
  }

  @Allow.roles(...OFFICERS)
  @Mutation(() => Report, { description: 'the server stamps submittedAt' })
  submitReport(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return reports.submitReport(ctx, id, version);
  }

  @Allow.roles(...OFFICERS)
  @Mutation(() => Report)
  returnReport(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return reports.returnReport(ctx, id, version, reason);
  }

  @Allow.roles(...OFFICERS)
  @Mutation(() => Report, { description: 'locks the report (REPORT_LOCKED afterwards); the first decision wins' })
  acceptReport(@Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number, @GqlCtx() ctx: Ctx) {
    return reports.acceptReport(ctx, id, version);
  }

  @FieldResolver(() => ReportingObligation)
  obligation(@Root() r: Report, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(ReportingObligation, 'reporting_obligation').load(r.obligation.id);
  }

  @FieldResolver(() => User, { nullable: true })
  submittedBy(@Root() r: Report, @GqlCtx() ctx: Ctx) {
    return r.submittedBy ? ctx.loaders.byId(User, 'app_user').load(r.submittedBy) : null;
  }

  @FieldResolver(() => [StoredFile])
  attachments(@Root() r: Report, @GqlCtx() ctx: Ctx) {
    return ctx.loaders
      .linked(
        StoredFile,
        'reportAttachments',
        'SELECT ra.report_id::text AS __of, f.* FROM report_attachment ra JOIN stored_file f ON f.id = ra.file_id WHERE ra.report_id = ANY(?) ORDER BY f.id',
      )
      .load(r.id);
  }

  @FieldResolver(() => [ReportEvent], { description: 'every status change, oldest first' })
  history(@Root() r: Report, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(ReportEvent, 'report_event', 'report_id', 'TRUE', 'at, id').load(r.id);
  }
}

@Resolver(() => ReportEvent)
export class ReportEventResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() e: ReportEvent, @GqlCtx() ctx: Ctx) {
    return e.actorId ? ctx.loaders.byId(User, 'app_user').load(e.actorId) : null;
  }
}

@Resolver(() => CompletenessRow)
export class CompletenessRowResolver {
  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() row: CompletenessRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(Unit, 'unit', row.unitId, info);
  }
}

import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { DateScalar, DecimalScalar } from '../../graphql/scalars';
import { ProgramComponent } from '../programs/program.entity';
import { Unit } from '../units/unit.entity';
import { Disbursement, FundingAllocation, FundingRevision, FundingSummaryRow } from './funding.entity';
import { FundingDimension } from './funding.enums';
import { allocationList, disbursementList } from './funding.list';
import { CreateFundingAllocationInput, RecordDisbursementInput, ReviseFundingAllocationInput } from './funding.inputs';
import * as funding from './funding.service';

const component = (ctx: Ctx, id: string | null | undefined) =>
  id ? ctx.loaders.byId(ProgramComponent, 'program_component').load(id) : null;
const unit = (ctx: Ctx, id: string | null | undefined) => (id ? ctx.loaders.byId(Unit, 'unit').load(id) : null);

/**
 * Writes are open to every signed-in role here and decided per record in the service, so a commune
 * officer or viewer gets FORBIDDEN for a record it can read and NOT_FOUND for one it cannot.
 */
@Resolver(() => FundingAllocation)
export class FundingAllocationResolver {
  @Allow.read()
  @Query(() => allocationList.Connection)
  fundingAllocations(@Args(() => allocationList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, allocationList, args, wantsTotal(info));
  }

  @Allow.read()
  @Query(() => FundingAllocation, { nullable: true })
  fundingAllocation(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, allocationList, id, info);
  }

  @Allow.read()
  @Query(() => [FundingSummaryRow], { description: 'sums of the allocations matching the filter, grouped by the chosen keys, in SQL' })
  async fundingSummary(
    @Arg('filter', () => allocationList.Filter, { nullable: true }) filter: Record<string, unknown> | null,
    @Arg('groupBy', () => [FundingDimension]) groupBy: FundingDimension[],
    @Arg('unitLevel', () => Int, { nullable: true, description: 'UNIT rolls up to the ancestor at this level' }) unitLevel: number | null,
    @Arg('disbursedUntil', () => DateScalar, { nullable: true, description: 'count only disbursements dated on or before it' })
    disbursedUntil: string | null,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    const rows = await funding.fundingSummary(ctx, { filter, groupBy, unitLevel, disbursedUntil });
    await ctx.loaders.prefetch(info, {
      unit: [Unit, 'unit', rows.map((r) => r.unitId)],
      project: [ProgramComponent, 'program_component', rows.map((r) => r.projectId)],
      subProject: [ProgramComponent, 'program_component', rows.map((r) => r.subProjectId)],
    });
    return rows;
  }

  @Allow.signedIn()
  @Mutation(() => FundingAllocation)
  createFundingAllocation(@Arg('input', () => CreateFundingAllocationInput) input: CreateFundingAllocationInput, @GqlCtx() ctx: Ctx) {
    return funding.createAllocation(ctx, input);
  }

  @Allow.signedIn()
  @Mutation(() => FundingAllocation)
  reviseFundingAllocation(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => ReviseFundingAllocationInput) input: ReviseFundingAllocationInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return funding.reviseAllocation(ctx, id, version, input);
  }

  @FieldResolver(() => ProgramComponent)
  component(@Root() a: FundingAllocation, @GqlCtx() ctx: Ctx) {
    return component(ctx, a.component.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() a: FundingAllocation, @GqlCtx() ctx: Ctx) {
    return unit(ctx, a.unit.id);
  }

  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description: 'disbursed / allocated, half-up to 4 decimals; null when nothing is allocated',
  })
  disbursementRate(@Root() a: FundingAllocation) {
    return funding.disbursementRate(a.disbursedAmount, a.allocatedAmount);
  }

  @FieldResolver(() => [FundingRevision], { description: 'every set of figures in order, the original first' })
  revisions(@Root() a: FundingAllocation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.manyBy(FundingRevision, 'funding_revision', 'allocation_id', 'TRUE', 'created_at, id').load(a.id);
  }

  @FieldResolver(() => disbursementList.Connection)
  disbursements(
    @Root() a: FundingAllocation,
    @Args(() => disbursementList.Args) args: ListArgsShape,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.loaders.connection(disbursementList, 't.allocation_id', args, info).load(a.id);
  }
}

@Resolver(() => Disbursement)
export class DisbursementResolver {
  @Allow.read()
  @Query(() => disbursementList.Connection)
  disbursements(@Args(() => disbursementList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, disbursementList, args, wantsTotal(info));
  }

  @Allow.signedIn()
  @Mutation(() => Disbursement)
  recordDisbursement(@Arg('input', () => RecordDisbursementInput) input: RecordDisbursementInput, @GqlCtx() ctx: Ctx) {
    return funding.recordDisbursement(ctx, input);
  }

  @FieldResolver(() => FundingAllocation)
  allocation(@Root() d: Disbursement, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(FundingAllocation, 'funding_allocation').load(d.allocation.id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() d: Disbursement, @GqlCtx() ctx: Ctx) {
    return unit(ctx, d.unit.id);
  }
}

@Resolver(() => FundingSummaryRow)
export class FundingSummaryRowResolver {
  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() r: FundingSummaryRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(Unit, 'unit', r.unitId, info);
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  project(@Root() r: FundingSummaryRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(ProgramComponent, 'program_component', r.projectId, info);
  }

  @FieldResolver(() => ProgramComponent, { nullable: true })
  subProject(@Root() r: FundingSummaryRow, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return ctx.loaders.named(ProgramComponent, 'program_component', r.subProjectId, info);
  }
}

/** Unit.fundingAllocations(...): the unit's own allocations, through the caller's scope. */
@Resolver(() => Unit)
export class UnitFundingResolver {
  @FieldResolver(() => allocationList.Connection)
  fundingAllocations(
    @Root() u: Unit,
    @Args(() => allocationList.Args) args: ListArgsShape,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
  ) {
    return ctx.loaders.connection(allocationList, 't.unit_id', args, info).load(u.id);
  }
}

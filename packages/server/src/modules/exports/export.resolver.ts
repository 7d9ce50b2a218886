import { Arg, Ctx as GqlCtx, ID, Mutation, Resolver } from 'type-graphql';
import { Allow } from '../../auth/policy';
import type { Ctx } from '../../graphql/context';
import { JSONScalar } from '../../graphql/scalars';
import { StoredFile } from '../files/file.entity';
import { ExportFormat } from './export.types';
import { exportList } from './export.service';
import { exportReport } from './export.report';

@Resolver()
export class ExportResolver {
  @Allow.signedIn()
  @Mutation(() => StoredFile, {
    description: "a list query's rows (its filter, the caller's scope) as XLSX or CSV; fetch it with GET /files/:id",
  })
  exportList(
    @Arg('list', () => String, { description: 'a list query name, e.g. fundingAllocations' }) list: string,
    @Arg('filter', () => JSONScalar, { nullable: true, description: "the list's filter (XFilter) as JSON" }) filter: unknown,
    @Arg('format', () => ExportFormat) format: ExportFormat,
    @GqlCtx() ctx: Ctx,
  ) {
    return exportList(ctx, list, filter, format);
  }

  @Allow.signedIn()
  @Mutation(() => StoredFile, {
    description: 'the report as a Word file in the administrative layout (DOCX) or its results workbook (XLSX)',
  })
  exportReport(@Arg('reportId', () => ID) reportId: string, @Arg('format', () => ExportFormat) format: ExportFormat, @GqlCtx() ctx: Ctx) {
    return exportReport(ctx, reportId, format);
  }
}

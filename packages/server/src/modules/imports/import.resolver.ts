import { Arg, Ctx as GqlCtx, ID, Mutation, Resolver } from 'type-graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { ImportKind, ImportResult } from './import.types';
import { importFile } from './import.service';

@Resolver()
export class ImportResolver {
  @Allow.roles(Role.ADMIN, Role.COORDINATOR, Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER)
  @Mutation(() => ImportResult, { description: 'dry run: checks and counts only; a real run writes every row or none' })
  importFile(
    @Arg('fileId', () => ID) fileId: string,
    @Arg('kind', () => ImportKind) kind: ImportKind,
    @Arg('dryRun', () => Boolean) dryRun: boolean,
    @GqlCtx() ctx: Ctx,
  ) {
    return importFile(ctx, fileId, kind, dryRun);
  }
}

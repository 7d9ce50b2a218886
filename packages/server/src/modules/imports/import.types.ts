import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ImportKind {
  UNITS = 'UNITS',
  ALLOCATIONS = 'ALLOCATIONS',
  DISBURSEMENTS = 'DISBURSEMENTS',
  INDICATOR_VALUES = 'INDICATOR_VALUES',
}
registerEnumType(ImportKind, { name: 'ImportKind' });

export enum ImportAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  UNCHANGED = 'UNCHANGED',
}
registerEnumType(ImportAction, { name: 'ImportAction' });

@ObjectType({ description: 'a problem with one row (row null: the whole file), message in the caller language (Vietnamese by default)' })
export class ImportError {
  @Field(() => Int, { nullable: true, description: 'row number in the file, the header being row 1' }) row!: number | null;
  @Field(() => String, { nullable: true }) column!: string | null;
  @Field(() => String, { nullable: true }) value!: string | null;
  @Field(() => String) message!: string;
}

@ObjectType({ description: 'what the import does (dry run: would do) with one row' })
export class ImportRowAction {
  @Field(() => Int) row!: number;
  @Field(() => ImportAction) action!: ImportAction;
}

@ObjectType()
export class ImportResult {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => [ImportError]) errors!: ImportError[];
  @Field(() => Boolean, { description: 'true when the rows were written (a real run without errors)' }) committed!: boolean;
  @Field(() => [ImportRowAction], { description: 'per row, what was (or would be) done' }) rows!: ImportRowAction[];
}

import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars';
import { UnitKind } from './unit.entity';

@InputType()
export class CreateUnitInput {
  @Field(() => String) code!: string;
  @Field(() => String) name!: string;
  @Field(() => UnitKind) kind!: UnitKind;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
  @Field(() => DateScalar, { nullable: true }) validFrom?: string | null;
  @Field(() => DateScalar, { nullable: true }) validTo?: string | null;
  @Field(() => [ID], { nullable: true, description: 'units that replace this one when it ends' }) successorIds?: string[] | null;
}

@InputType()
export class UpdateUnitInput {
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => UnitKind, { nullable: true }) kind?: UnitKind;
  @Field(() => ID, { nullable: true, description: 'null makes the unit a root' }) parentId?: string | null;
  @Field(() => DateScalar, { nullable: true }) validFrom?: string | null;
  @Field(() => DateScalar, { nullable: true }) validTo?: string | null;
  @Field(() => [ID], { nullable: true }) successorIds?: string[] | null;
}

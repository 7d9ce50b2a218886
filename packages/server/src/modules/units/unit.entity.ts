import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property, Unique, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateScalar } from '../../graphql/scalars';

export enum UnitKind {
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  COMMUNE = 'COMMUNE',
  AGENCY = 'AGENCY',
}
registerEnumType(UnitKind, { name: 'UnitKind' });

/** An administrative unit or an agency, in one tree whose shape changes over time. */
@ObjectType()
@Entity({ tableName: 'unit' })
@Index({ name: 'unit_path_idx', expression: 'create index "unit_path_idx" on "unit" ("path" text_pattern_ops)' })
export class Unit extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => UnitKind)
  @Enum({ items: () => UnitKind, nativeEnumName: 'unit_kind' })
  kind!: UnitKind;

  @ManyToOne(() => Unit, { ref: true, nullable: true, index: true })
  parent?: Ref<Unit> | null;

  /** Materialized path of ids, "/1/4/23/": a subtree is a prefix match on an index. */
  @Property({ type: 'text' })
  path!: string;

  @Field(() => Int, { description: 'number of ancestors; a root is 0' })
  @Property({ type: 'integer' })
  level!: number;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  validFrom?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  validTo?: string | null;

  @ManyToMany({ entity: () => Unit, pivotTable: 'unit_successor', joinColumn: 'unit_id', inverseJoinColumn: 'successor_id' })
  successorUnits = new Collection<Unit>(this);
}

/** A district's standing agency and finance-planning office. */
export enum AgencyRole {
  STANDING_AGENCY = 'STANDING_AGENCY',
  FINANCE_PLANNING = 'FINANCE_PLANNING',
}
registerEnumType(AgencyRole, { name: 'AgencyRole' });

@Entity({ tableName: 'district_agency' })
@Unique({ properties: ['unit', 'role'] })
export class DistrictAgency extends BaseEntity {
  @ManyToOne(() => Unit, { ref: true })
  unit!: Ref<Unit>;

  @Enum({ items: () => AgencyRole, nativeEnumName: 'agency_role' })
  role!: AgencyRole;

  @ManyToOne(() => Unit, { ref: true })
  agency!: Ref<Unit>;
}

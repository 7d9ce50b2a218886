import { OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';

/** Every record: id, optimistic-lock version, timestamps, authorship, soft archive. */
@ObjectType()
export abstract class BaseEntity {
  [OptionalProps]?:
    | 'version'
    | 'createdAt'
    | 'updatedAt'
    | 'archivedAt'
    | 'createdBy'
    | 'updatedBy'
    | 'archived'
    | 'disabled'
    | 'serviceAccount'
    | 'before';

  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => Int)
  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'bigint', nullable: true })
  createdBy?: string | null;

  @Property({ type: 'bigint', nullable: true })
  updatedBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  archivedAt?: Date | null;

  @Field(() => Boolean)
  get archived(): boolean {
    return this.archivedAt != null;
  }
}

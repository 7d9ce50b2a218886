import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../graphql/scalars';

/** One row per mutation that reached execution, done or refused. Append-only: triggers refuse UPDATE, DELETE, TRUNCATE. */
@ObjectType()
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEvent {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => DateTimeScalar)
  @Index()
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'bigint', nullable: true })
  actorId?: string | null;

  @Property({ type: 'bigint', nullable: true })
  apiKeyId?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  operation!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityType?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityId?: string | null;

  /** The unit the change concerns (else the actor's home unit), for scoped reading by coordinators. */
  @Index()
  @Property({ type: 'bigint', nullable: true })
  unitId?: string | null;

  @Field(() => JSONScalar, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  before?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  after?: unknown;

  @Field(() => JSONScalar, { nullable: true, description: 'arguments and extra facts (e.g. an overlap justification)' })
  @Property({ type: 'jsonb', nullable: true })
  details?: unknown;

  @Field(() => String)
  @Property({ type: 'text' })
  requestId!: string;

  @Field(() => String, { description: 'SUCCESS, or the error code that refused the mutation' })
  @Property({ type: 'text' })
  outcome!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  message?: string | null;
}

import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { DateTimeScalar } from '../../graphql/scalars';
import { Unit } from '../units/unit.entity';
import { User } from './user.entity';

/** A province system's read-only key over a unit subtree; only a hash of the secret is kept. */
@ObjectType()
@Entity({ tableName: 'api_key' })
export class ApiKey extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @ManyToOne(() => Unit, { ref: true })
  unit!: Ref<Unit>;

  /** The read-only service user the key acts as (`me`, audit actor). */
  @ManyToOne(() => User, { ref: true })
  serviceUser!: Ref<User>;

  @Property({ type: 'text', hidden: true })
  secretHash!: string;

  @Field(() => String, { description: 'first characters of the secret, to tell keys apart' })
  @Property({ type: 'text' })
  prefix!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}

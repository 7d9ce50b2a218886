import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Role } from '../../auth/roles';
import { Unit } from '../units/unit.entity';

@ObjectType()
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text', unique: true })
  username!: string;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  displayName!: string;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'user_role' })
  role!: Role;

  @ManyToOne(() => Unit, { ref: true, index: true })
  unit!: Ref<Unit>;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: false })
  disabled: boolean = false;

  /** API keys act as read-only service users; their user row is marked so it cannot sign in. */
  @Property({ type: 'boolean', default: false })
  serviceAccount: boolean = false;
}

/** A signed-in session; tokens name it, so revoking it revokes the token at once. */
@Entity({ tableName: 'user_session' })
export class Session {
  [OptionalProps]?: 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne(() => User, { ref: true, index: true })
  user!: Ref<User>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}

/** Server-wide settings kept in the database so every instance shares them (the token signing key). */
@Entity({ tableName: 'app_setting' })
export class AppSetting {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  value!: string;
}

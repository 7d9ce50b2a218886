import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Failed-login counts per `user:<name>` and `addr:<ip>` key, shared by every instance; read and written in SQL by auth/rate-limit.ts. */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'timestamptz' })
  lastFailureAt!: Date;
}

import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../auth/roles';
import { DateTimeScalar } from '../../graphql/scalars';
import { User } from './user.entity';
import { ApiKey } from './api-key.entity';

@ObjectType()
export class AuthPayload {
  @Field(() => String) token!: string;
  @Field(() => DateTimeScalar) expiresAt!: Date;
  @Field(() => User) user!: User;
}

@InputType()
export class CreateUserInput {
  @Field(() => String) username!: string;
  @Field(() => String) password!: string;
  @Field(() => String) displayName!: string;
  @Field(() => Role) role!: Role;
  @Field(() => ID) unitId!: string;
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) displayName?: string;
  @Field(() => Role, { nullable: true }) role?: Role;
  @Field(() => ID, { nullable: true }) unitId?: string;
  @Field(() => Boolean, { nullable: true }) disabled?: boolean;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => ID) unitId!: string;
}

@ObjectType()
export class ApiKeySecret {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: 'shown only once' }) secret!: string;
}

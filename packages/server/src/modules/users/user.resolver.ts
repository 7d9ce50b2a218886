import { Arg, Args, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Allow } from '../../auth/policy';
import { Role } from '../../auth/roles';
import type { Ctx } from '../../graphql/context';
import { listPage, wantsTotal, type ListArgsShape, readInScope } from '../../graphql/list';
import { Unit } from '../units/unit.entity';
import { User } from './user.entity';
import { ApiKey } from './api-key.entity';
import { apiKeyList, userList } from './user.list';
import { ApiKeySecret, AuthPayload, CreateApiKeyInput, CreateUserInput, UpdateUserInput } from './user.inputs';
import * as users from './user.service';

@Resolver(() => User)
export class UserResolver {
  @Allow.public()
  @Mutation(() => AuthPayload)
  login(@Arg('username', () => String) username: string, @Arg('password', () => String) password: string, @GqlCtx() ctx: Ctx) {
    return users.login(ctx, username, password);
  }

  @Allow.read()
  @Query(() => User, { description: 'the signed-in user, or the service user of an API key' })
  me(@GqlCtx() ctx: Ctx) {
    return ctx.em.findOneOrFail(User, { id: ctx.caller!.userId });
  }

  @Allow.signedIn()
  @Mutation(() => Boolean, { description: "revokes all of the user's tokens" })
  logout(@GqlCtx() ctx: Ctx) {
    return users.logout(ctx);
  }

  @Allow.signedIn()
  @Mutation(() => Boolean, { description: "revokes the user's other tokens" })
  changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @GqlCtx() ctx: Ctx,
  ) {
    return users.changePassword(ctx, currentPassword, newPassword);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => Boolean, { description: "revokes the user's tokens" })
  resetPassword(@Arg('userId', () => ID) userId: string, @Arg('newPassword', () => String) newPassword: string, @GqlCtx() ctx: Ctx) {
    return users.resetPassword(ctx, userId, newPassword);
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Query(() => userList.Connection, { description: 'ADMIN: every user; COORDINATOR: users of units in scope' })
  users(@Args(() => userList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, userList, args, wantsTotal(info), { sql: 't.service_account = false', params: [] });
  }

  @Allow.roles(Role.ADMIN, Role.COORDINATOR)
  @Query(() => User, { nullable: true })
  user(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return readInScope(ctx, userList, id, info);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => User)
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @GqlCtx() ctx: Ctx) {
    return users.createUser(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => User)
  updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @GqlCtx() ctx: Ctx,
  ) {
    return users.updateUser(ctx, id, version, input);
  }

  @FieldResolver(() => Unit)
  unit(@Root() user: User, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(user.unit.id);
  }
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Allow.roles(Role.ADMIN)
  @Query(() => apiKeyList.Connection)
  apiKeys(@Args(() => apiKeyList.Args) args: ListArgsShape, @GqlCtx() ctx: Ctx, @Info() info: GraphQLResolveInfo) {
    return listPage(ctx, apiKeyList, args, wantsTotal(info));
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => ApiKeySecret, { description: 'the secret is shown only in this answer' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @GqlCtx() ctx: Ctx) {
    return users.createApiKey(ctx, input);
  }

  @Allow.roles(Role.ADMIN)
  @Mutation(() => ApiKey)
  revokeApiKey(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx) {
    return users.revokeApiKey(ctx, id);
  }

  @FieldResolver(() => Unit)
  unit(@Root() key: ApiKey, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.byId(Unit, 'unit').load(key.unit.id);
  }

  @FieldResolver(() => Boolean)
  revoked(@Root() key: ApiKey) {
    return !!key.revokedAt;
  }
}

import { Entity, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../common/base.entity';
import { Unit } from '../units/unit.entity';

/** An uploaded or generated file; its bytes live under DATA_DIR/files by content hash. */
@ObjectType('File')
@Entity({ tableName: 'stored_file' })
export class StoredFile extends BaseEntity {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Int, { description: 'bytes' })
  @Property({ type: 'integer' })
  size!: number;

  @Field(() => String)
  @Property({ type: 'text' })
  contentType!: string;

  @Field(() => String)
  @Index()
  @Property({ type: 'text' })
  sha256!: string;

  /** The uploader's home unit: the file is readable in that unit's scope (and through records that use it). */
  @ManyToOne(() => Unit, { ref: true, nullable: true, index: true })
  unit?: Ref<Unit> | null;
}

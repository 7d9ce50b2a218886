import { registerEnumType } from 'type-graphql';

export enum MissionStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(MissionStatus, { name: 'MissionStatus' });

export enum MemberRole {
  HEAD = 'HEAD',
  DEPUTY = 'DEPUTY',
  MEMBER = 'MEMBER',
  SECRETARY = 'SECRETARY',
}
registerEnumType(MemberRole, { name: 'MemberRole' });

export enum FindingKind {
  ACHIEVEMENT = 'ACHIEVEMENT',
  DIFFICULTY = 'DIFFICULTY',
  SHORTCOMING = 'SHORTCOMING',
  VIOLATION = 'VIOLATION',
}
registerEnumType(FindingKind, { name: 'FindingKind' });

export enum RecommendationStatus {
  OPEN = 'OPEN',
  IN_PROGRESS = 'IN_PROGRESS',
  RESOLVED = 'RESOLVED',
  REJECTED = 'REJECTED',
}
registerEnumType(RecommendationStatus, { name: 'RecommendationStatus' });

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS, AUDIT_SUBJECT_TYPES } from '../audit-event.entity';

export class AuditQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The id of the last entry already seen: returns older ones' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'before must be an audit entry id' })
  before?: string;
}

export class AuditActorDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The user id; null for Mend itself (a background job)',
  })
  id: string | null;
  @ApiProperty({ enum: ['coach', 'client', 'system'] }) role: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: string;
  @ApiProperty({ enum: AUDIT_SUBJECT_TYPES }) subjectType: string;
  @ApiProperty() subjectId: string;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
}

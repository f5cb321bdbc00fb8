import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsTimeZone } from '../../common/time-zone';

export class CoachSettingsDto {
  @ApiProperty({ example: 'Dana Reyes' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName: string;

  @ApiProperty({ default: 24, minimum: 0, maximum: 720 })
  @IsInt()
  @Min(0)
  @Max(720)
  cancellationNoticeHours: number;

  @ApiProperty({ nullable: true, type: Number, description: 'null = no limit' })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100)
  maxSessionsPerDay: number | null;
}

export class SlotsQueryDto {
  @ApiProperty({ example: '2026-12-01' })
  @IsString()
  @MaxLength(10)
  from: string;

  @ApiProperty({ example: '2026-12-07' })
  @IsString()
  @MaxLength(10)
  to: string;

  @ApiProperty({ required: false, example: 'Europe/London' })
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string;
}

export class SlotDto {
  @ApiProperty() start: string;
  @ApiProperty() end: string;
}

export class SlotsOutDto {
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [SlotDto] }) slots: SlotDto[];
}

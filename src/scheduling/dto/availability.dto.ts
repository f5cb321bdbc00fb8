import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class IntervalDto {
  @ApiProperty({ example: '09:00' })
  @IsString()
  @Matches(HHMM, { message: 'start must be a time HH:MM' })
  start: string;

  @ApiProperty({ example: '17:00', description: '24:00 means the end of the day' })
  @IsString()
  @Matches(HHMM, { message: 'end must be a time HH:MM' })
  end: string;
}

export class WeeklyIntervalDto extends IntervalDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday, 1 = Monday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;
}

export class OverrideDto {
  @ApiProperty({ example: '2026-12-24' })
  @IsString()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @ApiProperty({ type: [IntervalDto], description: 'empty = a day off' })
  @IsArray()
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => IntervalDto)
  intervals: IntervalDto[];
}

export class AvailabilityDto {
  @ApiProperty({ example: 'Europe/London' })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiProperty({ type: [WeeklyIntervalDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WeeklyIntervalDto)
  weekly: WeeklyIntervalDto[];

  @ApiProperty({ type: [OverrideDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => OverrideDto)
  overrides: OverrideDto[];
}

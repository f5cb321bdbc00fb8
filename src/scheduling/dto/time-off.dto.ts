import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateTimeOffDto {
  @ApiProperty({ example: '2026-12-24T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'start must be an ISO 8601 instant' })
  start: string;

  @ApiProperty({ example: '2026-12-27T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'end must be an ISO 8601 instant' })
  end: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class TimeOffOutDto {
  @ApiProperty() id: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

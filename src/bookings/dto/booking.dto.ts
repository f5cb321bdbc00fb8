import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsTimeZone } from '../../common/time-zone';

export class CreateBookingDto {
  @ApiProperty({ example: 'coaching-session', description: 'the session type slug' })
  @IsString()
  @MaxLength(80)
  sessionType: string;

  @ApiProperty({ example: '2026-12-01T17:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'start must be an ISO 8601 instant' })
  start: string;

  @ApiProperty({ example: 'Sam Rivera' })
  @IsString()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'sam@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Europe/London' })
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({
    maxLength: 80,
    description:
      'What the client likes to be called (kept for a new client; an account holder sets theirs on the account page)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'preferredName must be one line of text' })
  preferredName?: string;

  @ApiPropertyOptional({ maxLength: 40, example: 'they/them' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[^\p{Cc}]*$/u, { message: 'pronouns must be one line of text' })
  pronouns?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({
    description:
      'answers to the session type’s intake questions, by question id (≤ 2 000 chars each; checkbox: true/false)',
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }] },
  })
  @IsOptional()
  @IsObject()
  intake?: Record<string, string | boolean>;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({ description: 'the manage token from the mailed link' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2026-12-02T17:00:00Z' })
  @IsISO8601({ strict: true }, { message: 'start must be an ISO 8601 instant' })
  start: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class TokenQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class ListBookingsQueryDto {
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: ['pending_payment', 'confirmed', 'cancelled', 'expired'] })
  @IsOptional()
  @IsIn(['pending_payment', 'confirmed', 'cancelled', 'expired'])
  status?: 'pending_payment' | 'confirmed' | 'cancelled' | 'expired';
}

export class MeetingOutDto {
  @ApiProperty({ enum: ['generated_video', 'fixed_link', 'phone', 'in_person'] }) kind: string;
  @ApiProperty({ example: 'Video call' }) label: string;
  @ApiProperty({ description: 'the link, phone number or address' }) location: string;
}

export class BookingOutDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['pending_payment', 'confirmed', 'cancelled', 'expired'] }) status: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'slug' }) sessionType: string;
  @ApiProperty() sessionTypeName: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({
    description:
      'In the coach’s lists: how the client likes to be addressed (preferred name, else name)',
  })
  displayName?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) pronouns?: string | null;
  @ApiProperty() email: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() price: number;
  @ApiProperty() currency: string;
  @ApiPropertyOptional({ nullable: true, type: String }) notes?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) holdExpiresAt?: string | null;
  @ApiPropertyOptional() manageUrl?: string;
  @ApiPropertyOptional() checkoutUrl?: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the video link (the booking’s own room, or the coach’s fixed link); never public',
  })
  meetingUrl?: string | null;
  @ApiPropertyOptional({ nullable: true, type: MeetingOutDto }) meeting?: MeetingOutDto | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'answers to the intake questions',
  })
  intake?: Record<string, string>;
}

export class RefundDto {
  @ApiProperty({ enum: ['none', 'pending', 'succeeded', 'failed'] }) status: string;
  @ApiProperty() amount: number;
  @ApiProperty({ nullable: true, type: String }) currency: string | null;
}

export class CancelResultDto {
  @ApiProperty({ example: 'cancelled' }) status: 'cancelled';
  @ApiProperty({ type: RefundDto }) refund: RefundDto;
}

import { OptionalCurrency, OptionalPrice } from '../../common/money-validators';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  ValidateNested,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

export const MEETING_KINDS = [
  'generated_video',
  'fixed_link',
  'phone',
  'in_person',
  'none',
] as const;
export const INTAKE_KINDS = ['short_text', 'long_text', 'choice', 'checkbox'] as const;

export class MeetingDto {
  @ApiProperty({
    enum: MEETING_KINDS,
    description: 'generated_video: a private room per booking (MEETING_BASE_URL)',
  })
  @IsIn(MEETING_KINDS as unknown as string[])
  kind: (typeof MEETING_KINDS)[number];

  @ApiPropertyOptional({
    description:
      'the fixed link (https), the phone number or the address; shown only to booked clients',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  value?: string;
}

export class IntakeQuestionDto {
  @ApiProperty({
    example: 'what-brings-you',
    description: 'a slug, unique within the session type',
  })
  @IsString()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'id must be lower-case letters, digits and dashes',
  })
  @MaxLength(60)
  id: string;

  @ApiProperty({ example: 'What brings you here?' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  label: string;

  @ApiProperty({ enum: INTAKE_KINDS })
  @IsIn(INTAKE_KINDS as unknown as string[])
  kind: (typeof INTAKE_KINDS)[number];

  @ApiPropertyOptional({ type: [String], description: 'the choices of a `choice` question' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];

  @ApiProperty()
  @IsBoolean()
  required: boolean;
}

export class CreateSessionTypeDto {
  @ApiProperty({ example: 'Coaching session' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: 'coaching-session' })
  @IsString()
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'slug must be lower-case letters, digits and dashes',
  })
  @MaxLength(80)
  slug: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ minimum: 5, maximum: 480 })
  @IsInt()
  @Min(5)
  @Max(480)
  durationMinutes: number;

  @OptionalPrice()
  price?: number;

  @OptionalCurrency()
  currency?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  bufferBeforeMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(240)
  bufferAfterMinutes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 43200 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(43200)
  minimumNoticeMinutes?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 730 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  bookingWindowDays?: number;

  @ApiPropertyOptional({
    minimum: 5,
    maximum: 480,
    nullable: true,
    type: Number,
    description: 'default: the duration',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(5)
  @Max(480)
  slotIntervalMinutes?: number | null;

  @ApiPropertyOptional({ example: 'Video call (link in the confirmation)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  location?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: MeetingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingDto)
  meeting?: MeetingDto;

  @ApiPropertyOptional({ type: [IntakeQuestionDto], maxItems: 10 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => IntakeQuestionDto)
  intakeQuestions?: IntakeQuestionDto[];
}

export class UpdateSessionTypeDto extends PartialType(CreateSessionTypeDto) {}

export class SessionTypeOutDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() slug: string;
  @ApiProperty() description: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty() price: number;
  @ApiProperty() currency: string;
  @ApiProperty() bufferBeforeMinutes: number;
  @ApiProperty() bufferAfterMinutes: number;
  @ApiProperty() minimumNoticeMinutes: number;
  @ApiProperty() bookingWindowDays: number;
  @ApiProperty({ nullable: true, type: Number }) slotIntervalMinutes: number | null;
  @ApiProperty() location: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: MeetingDto, description: 'value only in the coach’s answers' })
  meeting: MeetingDto;
  @ApiProperty({ type: [IntakeQuestionDto] }) intakeQuestions: IntakeQuestionDto[];
}

import { OptionalCurrency, OptionalPrice } from '../../common/money-validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const REFLECTION_MAX = 20_000;

export class UpdateProgramDto {
  @ApiPropertyOptional({ example: 'The Humble Pie 12 Steps' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @OptionalPrice()
  price?: number;

  @OptionalCurrency()
  currency?: string;

  @ApiPropertyOptional({ example: 7, description: 'Days between one step opening and the next' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  dripDays?: number;
}

export class UpdateStepDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ description: 'Public: shown on the program page' })
  @IsString()
  @MaxLength(2000)
  summary: string;

  @ApiProperty({ description: 'Members only; Markdown' })
  @IsString()
  @MaxLength(50_000)
  body: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  prompts: string[];
}

export class GrantDto {
  @ApiProperty({ example: 'member@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class UnlockDto {
  @ApiProperty({ minimum: 1, maximum: 12 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  step: number;
}

export class ReflectionDto {
  @ApiProperty({ maxLength: REFLECTION_MAX })
  @IsString()
  @MaxLength(REFLECTION_MAX, { message: `text must be at most ${REFLECTION_MAX} characters` })
  text: string;

  @ApiPropertyOptional({
    description:
      'Share it with the coach (true) or keep it private (false); omitted: unchanged (private for a new reflection)',
  })
  @IsOptional()
  @IsBoolean()
  sharedWithCoach?: boolean;
}

export class ShareProgressDto {
  @ApiProperty()
  @IsBoolean()
  shareProgress: boolean;
}

// ---- outputs ----

export class ProgramStepSummaryDto {
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
}

export class ProgramDto {
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() price: number;
  @ApiProperty() currency: string;
  @ApiProperty() dripDays: number;
  @ApiProperty({ type: [ProgramStepSummaryDto] }) steps: ProgramStepSummaryDto[];
}

export class ProgramStepFullDto extends ProgramStepSummaryDto {
  @ApiProperty() body: string;
  @ApiProperty({ type: [String] }) prompts: string[];
}

export class EnrollmentCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'pending_payment' }) status: string;
  @ApiProperty() checkoutUrl: string;
}

export class EnrollmentSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['pending_payment', 'active', 'expired', 'refunded'] }) status: string;
  @ApiProperty({ description: 'false until the member turns it on' }) shareProgress: boolean;
  @ApiProperty({ description: 'Whether the member has ever chosen (either way)' })
  shareProgressChosen: boolean;
}

export class ProgressDto {
  @ApiProperty() completed: number;
  @ApiProperty() total: number;
}

export class MemberStepDto {
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['locked', 'available', 'completed'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) availableAt: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt: string | null;
}

export class MyProgramDto {
  @ApiProperty({ type: EnrollmentSummaryDto }) enrollment: EnrollmentSummaryDto;
  @ApiProperty({ type: ProgressDto }) progress: ProgressDto;
  @ApiProperty({ type: [MemberStepDto] }) steps: MemberStepDto[];
}

export class ReflectionOutDto {
  @ApiProperty() text: string;
  @ApiProperty() sharedWithCoach: boolean;
  @ApiProperty() updatedAt: string;
}

export class MemberStepDetailDto extends MemberStepDto {
  @ApiProperty() summary: string;
  @ApiProperty({ description: 'Sanitised HTML rendered from the Markdown body' }) bodyHtml: string;
  @ApiProperty({ type: [String] }) prompts: string[];
  @ApiProperty({ type: ReflectionOutDto, nullable: true }) reflection: ReflectionOutDto | null;
}

export class SharedReflectionDto {
  @ApiProperty() step: number;
  @ApiProperty() text: string;
  @ApiProperty() updatedAt: string;
}

export class MemberRefDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'How to address them: the preferred name, else the name' })
  displayName: string;
  @ApiProperty({ nullable: true, type: String }) pronouns: string | null;
  @ApiProperty() email: string;
}

export class CoachEnrollmentDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: MemberRefDto }) member: MemberRefDto;
  @ApiProperty() status: string;
  @ApiProperty() source: string;
  @ApiProperty() shareProgress: boolean;
  @ApiProperty({ nullable: true, type: String }) activatedAt: string | null;
  @ApiProperty({
    type: ProgressDto,
    nullable: true,
    description: 'null unless the member shares progress',
  })
  progress: ProgressDto | null;
  @ApiProperty({ description: 'How many reflections the member shared' }) sharedReflections: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsTimeZone } from '../../common/time-zone';

/** No control characters (line breaks, NUL…) in names: they end up in mail subjects and calendar files. */
const PLAIN_LINE = /^[^\p{Cc}]*$/u;
export const PREFERRED_NAME_MAX = 80;
export const PRONOUNS_MAX = 40;

export class SignupDto {
  @ApiProperty({ example: 'sam@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Sam Rivera' })
  @IsString()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(120)
  @Matches(PLAIN_LINE, { message: 'name must be one line of text' })
  name: string;

  @ApiPropertyOptional({
    example: 'Sam',
    maxLength: PREFERRED_NAME_MAX,
    description: 'What you like to be called (pages and mail use it)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(PREFERRED_NAME_MAX)
  @Matches(PLAIN_LINE, { message: 'preferredName must be one line of text' })
  preferredName?: string;

  @ApiPropertyOptional({ example: 'they/them', maxLength: PRONOUNS_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(PRONOUNS_MAX)
  @Matches(PLAIN_LINE, { message: 'pronouns must be one line of text' })
  pronouns?: string;
}

/** PATCH /api/me: only the fields given change; an empty preferredName or pronouns (or null) clears it. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Samantha Rivera' })
  // A name can change but not be cleared: null is refused like any non-string.
  @ValidateIf((o: UpdateProfileDto) => o.name !== undefined)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @Matches(/\S/, { message: 'name must not be empty' })
  @MaxLength(120)
  @Matches(PLAIN_LINE, { message: 'name must be one line of text' })
  name?: string;

  @ApiPropertyOptional({
    example: 'Sam',
    nullable: true,
    type: String,
    maxLength: PREFERRED_NAME_MAX,
  })
  @IsOptional()
  @IsString()
  @MaxLength(PREFERRED_NAME_MAX)
  @Matches(PLAIN_LINE, { message: 'preferredName must be one line of text' })
  preferredName?: string | null;

  @ApiPropertyOptional({
    example: 'she/her',
    nullable: true,
    type: String,
    maxLength: PRONOUNS_MAX,
  })
  @IsOptional()
  @IsString()
  @MaxLength(PRONOUNS_MAX)
  @Matches(PLAIN_LINE, { message: 'pronouns must be one line of text' })
  pronouns?: string | null;

  @ApiPropertyOptional({ example: 'Europe/London', nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string | null;
}

export class LoginDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200)
  password: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 10 })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, description: 'What the person likes to be called' })
  preferredName: string | null;
  @ApiProperty({ nullable: true, type: String }) pronouns: string | null;
  @ApiProperty({ nullable: true, type: String }) timeZone: string | null;
  @ApiProperty({ enum: ['coach', 'client'] }) role: 'coach' | 'client';
}

export class AuthResultDto {
  @ApiProperty() token: string;
  @ApiProperty({ type: UserDto }) user: UserDto;
}

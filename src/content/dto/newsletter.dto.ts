import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class SubscribeDto {
  @ApiProperty({ example: 'reader@example.com' })
  @Transform(trim)
  @IsString()
  @MaxLength(254)
  @Matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'email must be an email address' })
  email: string;
}

export class SubscriberDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ['pending', 'confirmed', 'unsubscribed'] }) status: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true }) confirmedAt: string | null;
  @ApiProperty({ nullable: true }) unsubscribedAt: string | null;
}

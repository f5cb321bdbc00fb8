import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateCalendarDto {
  @ApiProperty({ example: 'Personal (Google)' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({
    example: 'https://calendar.google.com/calendar/ical/…/private-…/basic.ics',
    description:
      'the secret iCal address (http, https or webcal); never shown again, only its host',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(2000)
  url: string;
}

export class CalendarOutDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: "the feed URL's host (the URL itself is a secret)" }) host: string;
  @ApiProperty({ nullable: true, type: String }) lastSyncedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'why the last sync failed, in plain words',
  })
  lastError: string | null;
  @ApiProperty() eventCount: number;
}

export class CalendarSyncOutDto {
  @ApiProperty({ nullable: true, type: String }) lastSyncedAt: string | null;
  @ApiProperty() eventCount: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class ClientsQueryDto {
  @ApiPropertyOptional({ description: 'Part of a name or email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'Your current password, to confirm' })
  @IsString()
  @MinLength(1, { message: 'password is required' })
  @MaxLength(200)
  password: string;
}

export class ClientSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, description: 'What the client likes to be called' })
  preferredName: string | null;
  @ApiProperty({ nullable: true, type: String }) pronouns: string | null;
  @ApiProperty({ description: 'How to address them: the preferred name, else the name' })
  displayName: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: 'false for a client known only from a guest booking' })
  hasAccount: boolean;
  @ApiProperty() createdAt: string;
}

export class ClientProfileDto extends ClientSummaryDto {
  @ApiProperty({ nullable: true, type: String }) timeZone: string | null;
}

export class IntakeAnswersDto {
  @ApiProperty() bookingId: string;
  @ApiProperty() start: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) answers: Record<
    string,
    string
  >;
}

export class ClientBookingDto {
  @ApiProperty() id: string;
  @ApiProperty() status: string;
  @ApiProperty() sessionType: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() price: number;
  @ApiProperty() currency: string;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
}

export class ClientPaymentDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['booking', 'enrollment'] }) kind: string;
  @ApiProperty() description: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() status: string;
  @ApiProperty() refundedAmount: number;
  @ApiProperty() createdAt: string;
}

export class ClientDetailDto {
  @ApiProperty({ type: ClientProfileDto }) profile: ClientProfileDto;
  @ApiProperty({ type: [IntakeAnswersDto] }) intake: IntakeAnswersDto[];
  @ApiProperty({ type: [ClientBookingDto] }) bookings: ClientBookingDto[];
  @ApiProperty({ type: [ClientPaymentDto] }) payments: ClientPaymentDto[];
  @ApiProperty({ type: () => ClientEnrollmentDto, nullable: true })
  enrollment: ClientEnrollmentDto | null;
}

export class ClientNoteInDto {
  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1, { message: 'text is required' })
  @MaxLength(20000)
  text: string;
}

export class ClientNoteDto {
  @ApiProperty() id: string;
  @ApiProperty() text: string;
  @ApiProperty() createdAt: string;
}

export class ClientEnrollmentDto {
  @ApiProperty() id: string;
  @ApiProperty() status: string;
  @ApiProperty() shareProgress: boolean;
  @ApiProperty({ nullable: true, type: String }) activatedAt: string | null;
  @ApiProperty({
    nullable: true,
    description: 'null unless the member shares progress',
    type: Object,
  })
  progress: { completed: number; total: number } | null;
}

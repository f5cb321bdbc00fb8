import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export class RateDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsIn([1, 2, 3, 4, 5], { message: 'stars must be a whole number from 1 to 5' })
  stars: number;
}

import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** An optional price in the currency's minor units (see money.ts), the same rule for every DTO. */
export const OptionalPrice = () =>
  applyDecorators(
    ApiPropertyOptional({
      minimum: 0,
      maximum: 10_000_000,
      example: 9500,
      description: 'Minor units of the currency (9500 usd = $95.00; 5000 jpy = ¥5,000)',
    }),
    IsOptional(),
    IsInt({ message: 'price must be a whole number of minor units' }),
    Min(0, { message: 'price must be 0 (free) or more' }),
    Max(10_000_000, { message: 'price must be at most 10 000 000 minor units' }),
  );

/** An optional ISO 4217 currency code, lower case as Stripe writes it. */
export const OptionalCurrency = () =>
  applyDecorators(
    ApiPropertyOptional({ example: 'usd', pattern: '^[a-z]{3}$' }),
    IsOptional(),
    IsString(),
    Matches(/^[a-z]{3}$/, {
      message: 'currency must be a three-letter ISO code in lower case (e.g. usd)',
    }),
  );

import { Param, PipeTransform } from '@nestjs/common';
import { parseStepNumber } from './program.service';

const stepNumberPipe: PipeTransform<string, number> = { transform: (v) => parseStepNumber(v) };

/** A step number in a path (`/steps/:n`): 1 … 12, anything else 404 NOT_FOUND before a handler runs. */
export const StepParam = (name = 'n') => Param(name, stepNumberPipe);

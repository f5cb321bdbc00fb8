import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { clientIp } from '../common/http';
import { AccountsService, toUserDto } from './accounts.service';
import { Auth, CurrentUser } from './auth.decorators';
import {
  AuthResultDto,
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignupDto,
  UpdateProfileDto,
  UserDto,
} from './dto/auth.dto';
import { User } from './user.entity';

@ApiTags('accounts')
@Controller('api')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('auth/signup')
  @ApiOperation({
    summary: 'Create an account (202 check_email for an email known from a guest booking)',
  })
  @ApiResponse({ status: 201, type: AuthResultDto })
  async signup(
    @Body() dto: SignupDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.accounts.signup(dto, clientIp(req));
    if (result.kind === 'check_email') {
      reply.status(202);
      return { status: 'check_email' };
    }
    reply.status(201);
    return { token: result.token, user: result.user };
  }

  @Post('auth/login')
  @HttpCode(200)
  @ApiResponse({ status: 200, type: AuthResultDto })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<AuthResultDto> {
    return this.accounts.login(dto, clientIp(req));
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Auth()
  @ApiBearerAuth()
  async logout(@Req() req: FastifyRequest): Promise<void> {
    if (req.sessionToken) await this.accounts.logout(req.sessionToken);
  }

  @Post('auth/password-reset')
  @HttpCode(202)
  async passwordReset(
    @Body() dto: PasswordResetRequestDto,
    @Req() req: FastifyRequest,
  ): Promise<{ status: string }> {
    await this.accounts.requestPasswordReset(dto.email, clientIp(req));
    return { status: 'accepted' };
  }

  @Post('auth/password-reset/confirm')
  @HttpCode(204)
  async confirm(@Body() dto: PasswordResetConfirmDto): Promise<void> {
    await this.accounts.confirmPasswordReset(dto.token, dto.password);
  }

  @Get('me')
  @Auth()
  @ApiBearerAuth()
  @ApiResponse({ status: 200, type: UserDto })
  me(@CurrentUser() user: User): UserDto {
    return toUserDto(user);
  }

  @Patch('me')
  @Auth()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your name, preferred name, pronouns or time zone (only the fields given)',
  })
  @ApiResponse({ status: 200, type: UserDto })
  updateMe(@CurrentUser() user: User, @Body() dto: UpdateProfileDto): Promise<UserDto> {
    return this.accounts.updateProfile(user.id, dto);
  }
}

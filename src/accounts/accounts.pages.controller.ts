import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import { clientIp } from '../common/http';
import { validateForm } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { PagePost, PostedForm, Notice, renderForm, submitForm } from '../web/forms';
import { PageData, redirect, renderPage, safeNext } from '../web/page';
import {
  CHECK_EMAIL,
  LOGIN_FIELDS,
  PROFILE_FIELDS,
  profileInput,
  profileValues,
  SIGNUP_FIELDS,
  signupInput,
  zoneChoicesFor,
} from './account-form';
import { AccountsService } from './accounts.service';
import { DELETION_SCOPE } from './deletion-scope';
import { Auth, CurrentUser } from './auth.decorators';
import {
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  SignupDto,
  UpdateProfileDto,
} from './dto/auth.dto';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { User } from './user.entity';

type Form = Record<string, string | undefined>;

@ApiExcludeController()
@Controller()
export class AccountsPagesController {
  constructor(
    private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get secureCookies(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  @Get('login')
  async loginPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('next') next?: string,
  ): Promise<void> {
    if (req.viewer) return redirect(reply, safeNext(next, '/account'));
    await renderPage(req, reply, 'accounts/login', { title: 'Sign in', next: safeNext(next, '') });
  }

  @Post('login')
  async login(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext(form.body.next, '');
    await submitForm(form.request, reply, {
      template: 'accounts/login',
      page: () => ({ title: 'Sign in', next }),
      fields: LOGIN_FIELDS,
      body: form.body,
      values: { email: form.body.email },
      read: (body) => validateForm(LoginDto, { email: body.email, password: body.password }),
      save: async (value) => {
        const { token, user } = await this.accounts.login(value, clientIp(form.request));
        setSessionCookie(reply, token, this.secureCookies);
        return next || (user.role === 'coach' ? '/coach' : '/account');
      },
    });
  }

  @Post('logout')
  async logout(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (req.sessionToken) await this.accounts.logout(req.sessionToken);
    clearSessionCookie(reply);
    redirect(reply, '/');
  }

  @Get('signup')
  async signupPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('next') next?: string,
  ): Promise<void> {
    await renderPage(req, reply, 'accounts/signup', {
      title: 'Create your account',
      next: safeNext(next, ''),
    });
  }

  @Post('signup')
  async signup(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    // Back to where she was (e.g. the program's enroll button), or her account.
    const next = safeNext(form.body.next, '');
    const { password: _password, ...shown } = form.body;
    await submitForm(form.request, reply, {
      template: 'accounts/signup',
      page: () => ({ title: 'Create your account', next }),
      fields: SIGNUP_FIELDS,
      body: form.body,
      values: shown,
      read: (body) => validateForm(SignupDto, signupInput(body)),
      save: async (value) => {
        const result = await this.accounts.signup(value, clientIp(form.request));
        if (result.kind === 'check_email') return CHECK_EMAIL;
        setSessionCookie(reply, result.token, this.secureCookies);
        return next || '/account';
      },
      // Someone who booked before gets a link to choose her password: a page, not a redirect.
      redirect: (to) =>
        to === CHECK_EMAIL
          ? renderPage(form.request, reply, 'accounts/check-email', {
              title: 'Check your email',
              message:
                'You have booked with us before, so we sent you a link to choose your password. It works for one hour.',
            })
          : redirect(reply, to),
    });
  }

  @Get('password-reset')
  async resetPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string,
  ): Promise<void> {
    await renderPage(req, reply, 'accounts/password-reset', {
      title: 'Reset your password',
      token: token ?? null,
    });
  }

  @Post('password-reset')
  async requestReset(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(PasswordResetRequestDto, { email: body.email });
    if (!form.ok) {
      return renderPage(
        req,
        reply,
        'accounts/password-reset',
        { title: 'Reset your password', token: null, error: 'Please enter a valid email address.' },
        400,
      );
    }
    await this.accounts.requestPasswordReset(form.value.email, clientIp(req));
    await renderPage(req, reply, 'accounts/check-email', {
      title: 'Check your email',
      message:
        'If an account uses that address, a link to choose a new password is on its way. It works once, for one hour.',
    });
  }

  @Post('password-reset/confirm')
  async confirmReset(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(PasswordResetConfirmDto, {
      token: body.token,
      password: body.password,
    });
    if (!form.ok) {
      return renderPage(
        req,
        reply,
        'accounts/password-reset',
        {
          title: 'Choose a new password',
          token: body.token,
          error: 'The password must be at least 10 characters.',
        },
        400,
      );
    }
    try {
      await this.accounts.confirmPasswordReset(form.value.token, form.value.password);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return renderPage(
        req,
        reply,
        'accounts/password-reset',
        { title: 'Reset your password', token: null, error: e.message },
        e.status,
      );
    }
    clearSessionCookie(reply);
    await renderPage(req, reply, 'accounts/login', {
      title: 'Sign in',
      notice: 'Your password is saved. Please sign in.',
      next: '',
    });
  }

  @Get('account')
  @Auth()
  async account(
    @CurrentUser() user: User,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('saved') saved?: string,
  ): Promise<void> {
    const notice: Notice | undefined =
      saved === '1'
        ? {
            text: 'Your details are saved.',
            link: { href: '/account/sessions', text: 'See your sessions' },
          }
        : undefined;
    const values = profileValues(user);
    await renderForm(
      req,
      reply,
      'accounts/account',
      this.accountPage(user, values.timeZone, notice),
      values,
    );
  }

  /** The account page's "About you" form: PATCH /api/me's fields. */
  @Post('account/profile')
  @Auth()
  async saveProfile(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const user = form.viewer!;
    const { input, errors } = profileInput(form.body);
    await submitForm(form.request, reply, {
      template: 'accounts/account',
      page: () => this.accountPage(user, form.body.timeZone ?? ''),
      fields: PROFILE_FIELDS,
      body: form.body,
      read: async () => {
        const read = await validateForm(UpdateProfileDto, input);
        if (read.ok && !Object.keys(errors).length) return read;
        return { ok: false, errors: { ...(read.ok ? {} : read.errors), ...errors } };
      },
      save: (value) => this.accounts.updateProfile(user.id, value).then(() => '/account?saved=1'),
    });
  }

  private accountPage(user: User, zone: string, notice?: Notice): PageData {
    return {
      title: 'Your account',
      user: { name: user.name, email: user.email },
      notice,
      deletionScope: DELETION_SCOPE,
      ...zoneChoicesFor(zone, new Date()),
    };
  }
}

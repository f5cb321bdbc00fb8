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
import { PROFILE_FIELDS, profileInput, profileValues, zoneChoicesFor } from './account-form';
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
  async login(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = await validateForm(LoginDto, { email: body.email, password: body.password });
    const next = safeNext(body.next, '');
    if (!form.ok) {
      return renderPage(
        req,
        reply,
        'accounts/login',
        {
          title: 'Sign in',
          error: 'Please enter your email and password.',
          email: body.email,
          next,
        },
        400,
      );
    }
    try {
      const { token, user } = await this.accounts.login(form.value, clientIp(req));
      setSessionCookie(reply, token, this.secureCookies);
      redirect(reply, next || (user.role === 'coach' ? '/coach' : '/account'));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await renderPage(
        req,
        reply,
        'accounts/login',
        { title: 'Sign in', error: e.message, email: body.email, next },
        e.status,
      );
    }
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
  async signup(
    @Body() body: Form,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const values = {
      name: body.name,
      email: body.email,
      password: body.password,
      // Optional: a blank field is "not given".
      preferredName: body.preferredName?.trim() || undefined,
      pronouns: body.pronouns?.trim() || undefined,
    };
    const form = await validateForm(SignupDto, values);
    const shown = {
      name: body.name,
      email: body.email,
      preferredName: body.preferredName,
      pronouns: body.pronouns,
    };
    // Back to where she was (e.g. the program's enroll button), or her account.
    const next = safeNext(body.next, '');
    if (!form.ok) {
      return renderPage(
        req,
        reply,
        'accounts/signup',
        { title: 'Create your account', errors: form.errors, values: shown, next },
        400,
      );
    }
    try {
      const result = await this.accounts.signup(form.value, clientIp(req));
      if (result.kind === 'check_email') {
        return renderPage(req, reply, 'accounts/check-email', {
          title: 'Check your email',
          message:
            'You have booked with us before, so we sent you a link to choose your password. It works for one hour.',
        });
      }
      setSessionCookie(reply, result.token, this.secureCookies);
      redirect(reply, next || '/account');
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await renderPage(
        req,
        reply,
        'accounts/signup',
        { title: 'Create your account', error: e.message, values: shown, next },
        e.status,
      );
    }
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

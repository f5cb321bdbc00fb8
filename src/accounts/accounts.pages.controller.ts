import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors';
import { clientIp } from '../common/http';
import { validateForm } from '../common/validation';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import {
  noticeFor,
  PagePost,
  PostedForm,
  Notice,
  renderForm,
  submitForm,
  summaryOnly,
} from '../web/forms';
import { PageData, redirect, renderPage, safeNext } from '../web/page';
import {
  CHECK_EMAIL,
  LOGIN_FIELDS,
  PROFILE_FIELDS,
  profileInput,
  profileValues,
  RESET_CONFIRM_FIELDS,
  RESET_REQUEST_FIELDS,
  RESET_SENT,
  resetConfirmInput,
  SIGNUP_FIELDS,
  signupInput,
  zoneChoicesFor,
} from './account-form';
import { AccountsService, SPENT_PASSWORD_LINK } from './accounts.service';
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
import { isCoach } from './coach';

/** What the sign-in page says after a redirect to it (`?saved=password`). */
const LOGIN_NOTICES = {
  password: 'Your new password is saved, and every earlier sign-in has ended. Sign in with it now.',
};

/** The reset page: the confirm form when a link's token is given, else the request form. */
function resetPage(token: string | null): PageData {
  return { title: token ? 'Choose a new password' : 'Reset your password', token };
}

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
    @Query('saved') saved?: string,
  ): Promise<void> {
    if (req.viewer) return redirect(reply, safeNext(next, '/account'));
    await renderPage(req, reply, 'accounts/login', {
      title: 'Sign in',
      next: safeNext(next, ''),
      notice: noticeFor(saved, LOGIN_NOTICES),
    });
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
        return next || (isCoach(user) ? '/coach' : '/account');
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
    // A spent link is said at once, above the form that sends a new one.
    if (token && !(await this.accounts.passwordLinkUsable(token)))
      return renderForm(
        req,
        reply,
        'accounts/password-reset',
        resetPage(null),
        {},
        summaryOnly(SPENT_PASSWORD_LINK),
      );
    await renderForm(req, reply, 'accounts/password-reset', resetPage(token ?? null), {});
  }

  /** "Forgot your password?" (and the account page's button): the same answer for any address. */
  @Post('password-reset')
  async requestReset(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    await submitForm(form.request, reply, {
      template: 'accounts/password-reset',
      page: () => resetPage(null),
      fields: RESET_REQUEST_FIELDS,
      body: form.body,
      values: { email: form.body.email },
      read: (body) => validateForm(PasswordResetRequestDto, { email: body.email }),
      save: async (value) => {
        await this.accounts.requestPasswordReset(value.email, clientIp(form.request));
        return RESET_SENT;
      },
      // A page, not a redirect: it says nothing about whether the address has an account.
      redirect: () =>
        renderPage(form.request, reply, 'accounts/check-email', {
          title: 'Check your email',
          message:
            'If an account uses that address, a link to choose a new password is on its way. It works once, for one hour.',
        }),
    });
  }

  @Post('password-reset/confirm')
  async confirmReset(@PostedForm() form: PagePost, @Res() reply: FastifyReply): Promise<void> {
    const { input, errors } = resetConfirmInput(form.body);
    // A spent or expired link can't be mended by typing again: the page then offers a new one.
    let spent = false;
    await submitForm(form.request, reply, {
      template: 'accounts/password-reset',
      page: () => resetPage(spent ? null : (form.body.token ?? null)),
      fields: RESET_CONFIRM_FIELDS,
      body: form.body,
      // Passwords are never written back into a page.
      values: {},
      read: async () => {
        const read = await validateForm(PasswordResetConfirmDto, input);
        const raw = read.ok ? {} : { ...read.errors };
        // A malformed token is no link of ours: the service refuses it as such, in its words.
        const token = raw.token ? '' : (input.token ?? '');
        delete raw.token;
        Object.assign(raw, errors);
        if (Object.keys(raw).length) return { ok: false, errors: raw };
        return { ok: true, value: { token, password: input.password ?? '' } };
      },
      save: async (value) => {
        try {
          await this.accounts.confirmPasswordReset(value.token, value.password);
        } catch (e) {
          spent = e instanceof DomainError && e.code === 'INVALID_TOKEN';
          throw e;
        }
        clearSessionCookie(reply);
        return '/login?saved=password';
      },
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

"""Sign-in pages (issue 14 items 1 and 2; decision 0009): the work-email route to an
agency's identity provider and its return, sign-out at the provider, its back-channel
logout, the second factor after a password, and administrators' provider settings."""

from __future__ import annotations

import base64
from binascii import unhexlify
from typing import Any, cast
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn import exceptions as webauthn_errors
from django_otp_webauthn import views as webauthn_views

from oversight.core.access import BreadcrumbsMixin, RuleRequiredMixin
from oversight.core.services import RequestOrigin
from oversight.people.forms import SignInForm
from oversight.people.models import Agency, Person
from oversight.people.views.base import ManageFormView

from . import oidc, selectors, services
from .forms import (
    AuthenticatorForm,
    CodeForm,
    IdentityProviderForm,
    SecondFactorPolicyForm,
    WorkEmailForm,
)
from .middleware import SESSION_PROVIDER, SESSION_PROVIDER_ORIGIN
from .models import IdentityProvider
from .rules import Permission

FLOW = "signin.flow"
ID_TOKEN = "signin.id_token"
PENDING_KEY = "signin.pending_authenticator_key"
PASSWORD_BACKEND = "oversight.people.backends.UsernameOrEmailBackend"
NO_PROVIDER = (
    "Your organisation does not use single sign-on with Oversight. "
    "Sign in with your username or email address and password."
)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("home")


def _provider_origins() -> list[str]:
    return sorted({oidc.origin_of(p.issuer) for p in selectors.providers_live()})


class SignInView(auth_views.LoginView):
    """The sign-in page: a work email sends the person to their agency's provider; below it,
    a username or email and password for agencies without single sign-on."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["single_sign_on"] = selectors.providers_live().exists()
        context.setdefault("sso_form", WorkEmailForm())
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        origins = _provider_origins()
        if origins:  # the work-email form is answered by a redirect to the provider
            response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response


@method_decorator(login_not_required, name="dispatch")
class SingleSignOnStartView(RuleRequiredMixin, View):
    permission_required = Permission.START_SIGN_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("login"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkEmailForm(request.POST)
        next_url = _safe_next(request, request.POST.get("next"))
        provider = (
            selectors.provider_for_email(form.data.get("email", "")) if form.is_valid() else None
        )
        if provider is None:
            if form.is_valid():
                form.add_error("email", NO_PROVIDER)
            view = SignInView.as_view()
            request.method = "GET"
            response = cast(TemplateResponse, view(request))
            context = cast(dict[str, Any], response.context_data)
            context["sso_form"] = form
            context["form"] = SignInForm(request, initial={"username": form.data.get("email", "")})
            context["next"] = request.POST.get("next", "")
            return response
        try:
            started = oidc.authorization_start(
                provider,
                redirect_uri=request.build_absolute_uri(reverse("signin:callback")),
                login_hint=form.cleaned_data["email"],
            )
        except oidc.SignInError as error:
            services.identity_refusal_record(
                provider=provider, reason=str(error), origin=RequestOrigin.from_request(request)
            )
            return _refused(request, "unavailable", status=503)
        request.session[FLOW] = {
            "provider": provider.pk,
            "state": started.state,
            "nonce": started.nonce,
            "code_verifier": started.code_verifier,
            "next": next_url,
        }
        return HttpResponseRedirect(started.url)


def _refused(request: HttpRequest, reason: str, *, status: int = 403) -> HttpResponse:
    return render(request, "signin/refused.html", {"reason": reason}, status=status)


@method_decorator(login_not_required, name="dispatch")
class SingleSignOnCallbackView(RuleRequiredMixin, View):
    """The provider sends the person back here with a code: the state must match, the code
    is exchanged (with the PKCE verifier and the client's authentication) and the ID token
    validated before anyone is signed in."""

    permission_required = Permission.START_SIGN_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        flow = request.session.pop(FLOW, None)
        if not flow:
            messages.info(request, "Your sign-in did not complete. Please start again.")
            return HttpResponseRedirect(reverse("login"))
        origin = RequestOrigin.from_request(request)
        provider = IdentityProvider.objects.live().filter(pk=flow["provider"]).first()
        if provider is None or request.GET.get("state") != flow["state"]:
            services.identity_refusal_record(
                provider=provider, reason="the state does not match", origin=origin
            )
            return _refused(request, "failed", status=400)
        if "error" in request.GET or not request.GET.get("code"):
            services.identity_refusal_record(
                provider=provider,
                reason=f"the provider answered {request.GET.get('error', 'without a code')}",
                origin=origin,
            )
            return _refused(request, "cancelled", status=400)
        redirect_uri = request.build_absolute_uri(reverse("signin:callback"))
        try:
            id_token = oidc.code_exchange(
                provider,
                code=request.GET["code"],
                redirect_uri=redirect_uri,
                code_verifier=flow["code_verifier"],
            )
            verified = oidc.validate_id_token(provider, id_token, nonce=flow["nonce"])
        except oidc.SignInError as error:
            services.identity_refusal_record(provider=provider, reason=str(error), origin=origin)
            return _refused(request, "failed", status=400)
        try:
            person = services.identity_sign_in(provider=provider, verified=verified, origin=origin)
        except services.IdentityRefused:
            return _refused(request, "unknown")
        login(request, person, backend=PASSWORD_BACKEND)
        request.session[SESSION_PROVIDER] = provider.pk
        request.session[SESSION_PROVIDER_ORIGIN] = oidc.origin_of(provider.issuer)
        request.session[ID_TOKEN] = id_token
        request.session.save()
        services.provider_session_record(
            provider=provider, verified=verified, session_key=request.session.session_key or ""
        )
        return HttpResponseRedirect(_safe_next(request, flow.get("next")))


class SignOutView(auth_views.LogoutView):
    """Sign out of Oversight; after a single sign-on, at the provider too (RP-initiated
    logout), which comes back to the sign-in page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_pk = request.session.get(SESSION_PROVIDER)
        id_token = request.session.get(ID_TOKEN, "")
        response = super().post(request, *args, **kwargs)
        provider = IdentityProvider.objects.filter(pk=provider_pk).first() if provider_pk else None
        if provider is not None and id_token:
            url = oidc.end_session_url(
                provider,
                id_token=id_token,
                post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
            )
            if url:
                return HttpResponseRedirect(url)
        return response


@method_decorator([csrf_exempt, login_not_required], name="dispatch")
class BackChannelLogoutView(View):
    """OpenID Connect Back-Channel Logout: the provider posts a signed logout token when
    the person signs out there; their Oversight sessions from that sign-in end."""

    permission_required = Permission.START_SIGN_IN

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("logout_token", "")
        for provider in selectors.providers_live():
            try:
                claims = oidc.validate_logout_token(provider, token)
            except oidc.SignInError:
                continue
            services.provider_sessions_end(
                provider=provider,
                sid=str(claims.get("sid") or ""),
                subject=str(claims.get("sub") or ""),
            )
            response = HttpResponse(status=200)
            response["Cache-Control"] = "no-store"
            return response
        return HttpResponseBadRequest("The logout token is not valid.")


# --- The second factor -------------------------------------------------------------------


def _locked(request: HttpRequest, person: Person) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": person.username})


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "registration/locked_out.html", status=429)


class SecondFactorView(RuleRequiredMixin, FormView):
    """After a password: the code from an authenticator app, or a recovery code."""

    permission_required = Permission.USE_SECOND_FACTOR
    template_name = "signin/second_factor.html"
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and _locked(request, cast(Person, request.user)):
            return _locked_out(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.has_second_factor(request.user):
            return HttpResponseRedirect(
                reverse("signin:authenticator_add") + "?" + urlencode({"next": self._next()})
            )
        return super().get(request, *args, **kwargs)

    def _next(self) -> str:
        return _safe_next(
            self.request, self.request.POST.get("next") or self.request.GET.get("next")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        next_url = self._next()
        person = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "next": next_url,
            "has_passkey": selectors.passkeys(person).exists(),
            "passkey_config": passkey_config(self.request, next_url=next_url),
        }

    def form_valid(self, form: CodeForm) -> HttpResponse:
        person = cast(Person, self.request.user)
        device = services.second_factor_verify(
            request=self.request, person=person, code=form.cleaned_data["code"]
        )
        if device is None:
            if _locked(self.request, person):
                return _locked_out(self.request)
            form.add_error(
                "code",
                "That code is not right. Enter the code your app shows now, or an unused "
                "recovery code.",
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        return HttpResponseRedirect(self._next())


def _grouped(key_hex: str) -> str:
    secret = base64.b32encode(unhexlify(key_hex)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class AuthenticatorAddView(RuleRequiredMixin, BreadcrumbsMixin, FormView):
    """Set up an authenticator app: the page shows a setup key; the first code proves it."""

    permission_required = Permission.USE_SECOND_FACTOR
    template_name = "signin/authenticator_add.html"
    form_class = AuthenticatorForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and _locked(request, cast(Person, request.user)):
            return _locked_out(request)
        return super().dispatch(request, *args, **kwargs)

    def key(self) -> str:
        key = self.request.session.get(PENDING_KEY)
        if not key:
            key = default_key()
            self.request.session[PENDING_KEY] = key
        return str(key)

    def _next(self) -> str:
        return _safe_next(
            self.request, self.request.POST.get("next") or self.request.GET.get("next")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = cast(Person, self.request.user)
        key = self.key()
        device = TOTPDevice(user=person, key=key, name="Oversight")
        context.update(
            setup_key=_grouped(key),
            setup_uri=device.config_url,
            required=selectors.second_factor_required(person),
            next=self._next(),
        )
        return context

    def form_valid(self, form: AuthenticatorForm) -> HttpResponse:
        person = cast(Person, self.request.user)
        try:
            device = services.authenticator_add(
                actor=person,
                key_hex=self.key(),
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
            )
        except services.ValidationError as error:
            from oversight.core.forms import apply_service_error

            apply_service_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(PENDING_KEY, None)
        otp_login(self.request, device)
        codes = services.recovery_codes_replace(actor=person)
        return render(
            self.request,
            "signin/recovery_codes.html",
            {"codes": codes, "next": self._next(), "first_time": True},
        )


class SecurityView(RuleRequiredMixin, BreadcrumbsMixin, TemplateView):
    """A person's own second factors."""

    permission_required = Permission.USE_SECOND_FACTOR
    template_name = "signin/security.html"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [("Home", reverse("home")), ("Sign-in and security", None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.request.user
        context.update(
            apps=selectors.authenticator_apps(person),
            passkeys=selectors.passkeys(person),
            policy_agencies=selectors.policy_agencies(person),
            passkey_added=self.request.GET.get("added") == "passkey",
            passkey_config=passkey_config(self.request),
            codes_left=selectors.recovery_codes_left(person),
            required=selectors.second_factor_required(person),
            single_sign_on=bool(self.request.session.get(SESSION_PROVIDER)),
        )
        return context


class RecoveryCodesView(RuleRequiredMixin, View):
    """New recovery codes, shown once."""

    permission_required = Permission.USE_SECOND_FACTOR

    def post(self, request: HttpRequest) -> HttpResponse:
        codes = services.recovery_codes_replace(actor=cast(Person, request.user))
        return render(
            request,
            "signin/recovery_codes.html",
            {"codes": codes, "next": reverse("signin:security"), "first_time": False},
        )


# --- Passkeys (WebAuthn; decision 0019) ------------------------------------------------------
# django-otp-webauthn's JSON views, each behind a rule; the script is signin/passkeys.mjs.

PASSKEY_MESSAGES = {
    "failed": "Your passkey could not be used. Try again, or use your authenticator app.",
    "cancelled": "The passkey was not used. Try again, or use your authenticator app.",
    "notAccepted": "That passkey was not accepted. Try again, or use your authenticator app.",
    "unsupported": "This browser cannot use passkeys. Use your authenticator app instead.",
}


def passkey_config(request: HttpRequest, *, next_url: str = "") -> dict[str, Any]:
    """What signin/passkeys.mjs needs, given to the page as a JSON data block."""
    from django.middleware.csrf import get_token

    return {
        "csrfToken": get_token(request),
        "registerBegin": reverse("signin:passkey_register_begin"),
        "registerComplete": reverse("signin:passkey_register_complete"),
        "verifyBegin": reverse("signin:passkey_verify_begin"),
        "verifyComplete": reverse("signin:passkey_verify_complete"),
        "afterRegister": reverse("signin:security") + "?added=passkey",
        "next": next_url,
        "signIn": reverse("login"),
        "messages": PASSKEY_MESSAGES,
    }


class PasskeyRegisterBeginView(RuleRequiredMixin, webauthn_views.BeginCredentialRegistrationView):
    permission_required = Permission.USE_SECOND_FACTOR
    http_method_names = ["post"]


class PasskeyRegisterCompleteView(
    RuleRequiredMixin, webauthn_views.CompleteCredentialRegistrationView
):
    permission_required = Permission.USE_SECOND_FACTOR
    http_method_names = ["post"]

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(*args, **kwargs)
        services.passkey_added_record(actor=cast(Person, self.request.user))
        return response


class PasskeyVerifyBeginView(RuleRequiredMixin, webauthn_views.BeginCredentialAuthenticationView):
    permission_required = Permission.USE_SECOND_FACTOR
    http_method_names = ["post"]

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if _locked(self.request, cast(Person, self.request.user)):
            return _passkey_locked_out(self.request)
        return super().post(*args, **kwargs)


def _passkey_locked_out(request: HttpRequest) -> JsonResponse:
    logout(request)
    return JsonResponse(
        {"detail": "Your account is locked for now.", "redirect_url": reverse("login")},
        status=429,
    )


class PasskeyVerifyCompleteView(
    RuleRequiredMixin, webauthn_views.CompleteCredentialAuthenticationView
):
    """A passkey's answer after a password. A refused answer counts against the account's
    lock, as a wrong code or password does (django-axes)."""

    permission_required = Permission.USE_SECOND_FACTOR
    http_method_names = ["post"]

    def get_success_url(self) -> str:
        return _safe_next(self.request, self.request.GET.get("next"))

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        person = cast(Person, self.request.user)
        if _locked(self.request, person):
            return _passkey_locked_out(self.request)
        try:
            return super().post(*args, **kwargs)
        except webauthn_errors.OTPWebAuthnApiError:
            services.second_factor_failed(request=self.request, person=person)
            if _locked(self.request, person):
                return _passkey_locked_out(self.request)
            raise


# --- Administrators: each agency's identity provider -----------------------------------------


class ProviderListView(RuleRequiredMixin, BreadcrumbsMixin, ListView):
    permission_required = Permission.MANAGE_PROVIDERS
    template_name = "signin/provider_list.html"
    context_object_name = "providers"

    def get_queryset(self) -> Any:
        return selectors.providers_live()

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Administration", reverse("people:manage_index")),
            ("Single sign-on", None),
        ]


class _ProviderFormView(ManageFormView):
    permission_required = Permission.MANAGE_PROVIDERS
    form_class = IdentityProviderForm

    def extra_crumbs(self) -> list[tuple[str, str | None]]:
        return [("Single sign-on", reverse("signin:provider_list"))]

    def get_success_url(self) -> str:
        return reverse("signin:provider_list")


class ProviderCreateView(_ProviderFormView):
    heading = "Set up single sign-on for an agency"
    submit_label = "Save"
    success_message = "Single sign-on set up for {result.agency}."

    def perform(self, form: Any) -> IdentityProvider:
        return services.identity_provider_create(
            actor=self.actor, **form.changes(), origin=self.origin()
        )


class ProviderEditView(_ProviderFormView):
    model = IdentityProvider
    submit_label = "Save changes"
    success_message = "Changes saved."

    def get_queryset(self) -> Any:
        return IdentityProvider.objects.live()

    def get_heading(self) -> str:
        return f"Change {self.object.name}"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form: Any) -> IdentityProvider:
        return services.identity_provider_update(
            actor=self.actor,
            provider=self.object,
            changes=form.changes(),
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )


# --- Which roles must use a second factor, per agency (decision 0019) -------------------------


class SecondFactorPolicyView(ManageFormView):
    """An agency's lead (or an administrator) chooses which further roles in the agency must
    use a second factor with a password."""

    permission_required = Permission.SET_SECOND_FACTOR_POLICY
    model = Agency
    form_class = SecondFactorPolicyForm
    template_name = "signin/policy_form.html"
    section = None
    submit_label = "Save"
    success_message = "Second-factor rules saved for {result.agency}."

    def get_queryset(self) -> Any:
        return Agency.objects.live()

    def get_heading(self) -> str:
        return f"Second factor in {self.object.name}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [
            ("Home", reverse("home")),
            ("Sign-in and security", reverse("signin:security")),
            (self.get_heading(), None),
        ]

    def get_initial(self) -> dict[str, Any]:
        policy = selectors.policy_of(self.object)
        if policy is None:
            return {"roles": [], "version": None}
        return {"roles": list(policy.roles), "version": policy.version}

    def get_success_url(self) -> str:
        return reverse("signin:security")

    def perform(self, form: Any) -> Any:
        return services.second_factor_policy_set(
            actor=self.actor,
            agency=self.object,
            roles=form.cleaned_data["roles"],
            expected_version=form.cleaned_data.get("version"),
            origin=self.origin(),
        )

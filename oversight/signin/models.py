"""How people sign in: each agency's OpenID Connect identity provider, the identities linked
to people, the single sign-on sessions a provider may end by back-channel logout, and who
must use a second factor with a password (issue 14 items 1 and 2; decision 0009).

Secrets are never stored: a provider names the environment variable that holds its client
secret, or the PEM private key (or a path to it) for ``private_key_jwt``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from oversight.core.models import TrackedModel
from oversight.people.models import Agency, Person, Role


class ClientAuthMethod(models.TextChoices):
    CLIENT_SECRET_BASIC = "client_secret_basic", "Client secret in the Authorization header"
    CLIENT_SECRET_POST = "client_secret_post", "Client secret in the request body"
    PRIVATE_KEY_JWT = "private_key_jwt", "Signed with our private key (private_key_jwt)"


class IdentityProvider(TrackedModel):
    """An agency's OpenID provider (for example Microsoft Entra ID or NHS CIS2)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="identity_providers")
    name = models.CharField(max_length=200, help_text="What people see: “Sign in with …”.")
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=300)
    auth_method = models.CharField(
        max_length=30,
        choices=ClientAuthMethod.choices,
        default=ClientAuthMethod.CLIENT_SECRET_BASIC,
    )
    secret_env = models.CharField(
        max_length=100,
        help_text="The environment variable holding the client secret, or the private key.",
    )
    key_id = models.CharField(max_length=200, blank=True)
    scopes = models.CharField(max_length=300, default="openid email")
    acr_values = models.CharField(max_length=300, blank=True)
    email_domains = models.CharField(max_length=500)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "client_id"],
                condition=Q(archived_at__isnull=True),
                name="identity_provider_unique_client",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [d for d in self.email_domains.replace(",", " ").split() if d]


class SignInDomain(models.Model):
    """An email domain routed to one provider; the database holds each domain to one."""

    domain = models.CharField(max_length=253, unique=True)
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="sign_in_domains"
    )

    def __str__(self) -> str:
        return self.domain


class LinkedIdentity(TrackedModel):
    """A person's account at a provider: found by verified email the first time, by the
    provider's subject ever after (no self-registration: the person must exist first)."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="linked_identities")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="linked_identity_unique_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "person"], name="linked_identity_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.provider}"


class ProviderSession(models.Model):
    """Our session for a provider's session (its ``sid``), so the provider's back-channel
    logout can end it."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=255)
    sid = models.CharField(max_length=255, blank=True)
    session_key = models.CharField(max_length=40)
    started_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["provider", "sid"])]

    def __str__(self) -> str:
        return f"{self.provider} session {self.sid or self.subject}"


class SecondFactorPolicy(TrackedModel):
    """An agency's choice of further roles that must use a second factor with a password
    (administrators, partnership auditors and agency leads always must)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="second_factor_policy"
    )
    roles = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Second factor policy of {self.agency}"


POLICY_ROLES = (Role.SUPERVISOR, Role.LINE_MANAGER, Role.PRACTITIONER)
"""The roles an agency's policy may add (the others always need a second factor)."""

ALWAYS_REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.PARTNERSHIP_AUDITOR, Role.AGENCY_LEAD})

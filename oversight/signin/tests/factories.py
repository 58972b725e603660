from __future__ import annotations

import factory

from oversight.people.tests.factories import AgencyFactory
from oversight.signin.models import ClientAuthMethod, IdentityProvider, SignInDomain


class IdentityProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityProvider
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Agency sign-in {n}")
    issuer = factory.Sequence(lambda n: f"https://login{n}.example.org")
    client_id = "oversight"
    auth_method = ClientAuthMethod.CLIENT_SECRET_BASIC
    secret_env = "OIDC_TEST_SECRET"
    scopes = "openid email"
    email_domains = factory.Sequence(lambda n: f"agency{n}.example.org")

    @factory.post_generation
    def domains(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            for domain in self.domains:
                SignInDomain.objects.get_or_create(domain=domain, defaults={"provider": self})

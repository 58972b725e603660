from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "oversight.signin"
    label = "signin"
    verbose_name = "Sign-in: single sign-on and second factors"
    navigation = [
        ("Sign-in settings", "signin:provider_list", "signin.manage_providers"),
    ]
    # core.testing.sign_in: a browser test's password sign-in completes the second factor.
    browser_second_step = "oversight.signin.testing.browser_second_step"

from django.conf import settings
from django.core.checks import Error, register

from website.theme import accent_problem, logo_problem


@register()
def check_site_identity(app_configs=None, **kwargs):
    """The accent colour is readable and the logo is on this site."""
    problems = []
    if settings.SITE_ACCENT and (problem := accent_problem(settings.SITE_ACCENT)):
        problems.append(Error(problem, id="website.E001"))
    if problem := logo_problem(settings.SITE_LOGO):
        problems.append(Error(problem, id="website.E002"))
    return problems

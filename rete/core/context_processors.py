from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from rete.core.navigation import items_for


def shell(request):
    current = translation.get_language()
    path = request.get_full_path()
    languages = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            native = translation.get_language_info(code)["name_local"]
        languages.append({"code": code, "name": native, "url": translate_url(path, code), "current": code == current})
    user = getattr(request, "user", None)
    return {
        "rete_demo": settings.RETE_DEMO,
        "rete_idle_seconds": settings.RETE_IDLE_MINUTES * 60,
        "rete_idle_warning_seconds": settings.RETE_IDLE_WARNING_SECONDS,
        "rete_languages": languages,
        "rete_nav": items_for(user) if user is not None else [],
        "rete_quick_exit_url": settings.RETE_QUICK_EXIT_URL,
    }

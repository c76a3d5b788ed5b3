from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from rete.portal import views as portal_views

from allauth.account.decorators import secure_admin_login  # noqa: E402

# The admin's own login would skip the second factor: send it through Rete's sign-in instead.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Rete"
admin.site.site_title = "Rete"

urlpatterns = [
    path("api/v1/cases/", include("rete.cases.api_urls")),
    path("api/v1/referrals/", include("rete.network.api_urls")),
    path("api/v1/programmes/", include("rete.programmes.api_urls")),
    path("api/v1/", include("rete.core.api_urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    # Quick exit lives outside the language prefix: one short, same-site URL that ends any
    # session before the browser leaves for a neutral site.
    path("exit/", portal_views.quick_exit, name="quick_exit"),
]
urlpatterns += i18n_patterns(
    path("", include("rete.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("cases/", include("rete.cases.urls")),
    path("risk/", include("rete.risk.urls")),
    path("network/", include("rete.network.urls")),
    path("programmes/", include("rete.programmes.urls")),
    path("learning/", include("rete.learning.urls")),
    path("", include("rete.learning.public_urls")),
    path("", include("rete.core.urls")),
)

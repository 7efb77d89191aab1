from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.player import play
from api.urls import api
from common.views import healthz

# The admin is read by college staff and operators in Russian, not as "Django administration".
admin.site.site_header = "Тестодром — администрирование"
admin.site.site_title = "Тестодром"
admin.site.index_title = "Разделы"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("partner/api/v2/", api.urls),
    path("partner/v2/play/<uuid:token>/", play, name="player"),
    path("reports/", include("reports.urls")),
    path("reports/", include("events.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
]

from django.contrib import admin
from django.urls import path

from api.http import api
from api.player import play

urlpatterns = [
    path("admin/", admin.site.urls),
    path("partner/api/v2/", api.urls),
    path("partner/v2/play/<uuid:token>/", play, name="player"),
]

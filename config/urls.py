from django.contrib import admin
from django.urls import path

from api.http import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("partner/api/v2/", api.urls),
]

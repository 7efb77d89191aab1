from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path(
        "providers/<slug:slug>/webhooks/<int:pk>/send-again/",
        views.send_again,
        name="send_again",
    ),
]

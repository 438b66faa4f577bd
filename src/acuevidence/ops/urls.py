from django.urls import path

from acuevidence.ops import views

urlpatterns = [
    path("healthz", views.healthz, name="ops-healthz"),
    path("readyz", views.readyz, name="ops-readyz"),
    path("ops/ping", views.ping, name="ops-ping"),
]

from django.urls import path

from acuevidence.directory import views

urlpatterns = [
    path("practitioners/", views.practitioner_list, name="practitioner-list"),
    path("practitioners/<slug:slug>/", views.practitioner_detail, name="practitioner-detail"),
]

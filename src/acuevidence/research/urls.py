from django.urls import path

from acuevidence.research import views

urlpatterns = [
    path("studies/", views.study_list, name="study-list"),
    path("studies/<slug:slug>/", views.study_detail, name="study-detail"),
    path("highlights/", views.highlight_list, name="highlight-list"),
]

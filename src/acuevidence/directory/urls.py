from django.urls import path

from acuevidence.directory import views

urlpatterns = [
    path("practitioners/", views.practitioner_list, name="practitioner-list"),
    path("practitioners/<slug:slug>/", views.practitioner_detail, name="practitioner-detail"),
    path(
        "practitioners/<slug:slug>/contact/",
        views.practitioner_contact,
        name="practitioner-contact",
    ),
    path(
        "practitioners/<slug:slug>/report/", views.practitioner_report, name="practitioner-report"
    ),
    path("for-practitioners/", views.account, name="directory-account"),
    path("for-practitioners/sign-in/", views.LoginView.as_view(), name="directory-login"),
    path("for-practitioners/sign-out/", views.LogoutView.as_view(), name="directory-logout"),
    path("for-practitioners/sign-up/", views.signup, name="directory-signup"),
    path(
        "for-practitioners/sign-up/<str:token>/",
        views.signup_confirm,
        name="directory-signup-confirm",
    ),
    path("for-practitioners/claim/", views.claim, name="directory-claim"),
    path(
        "for-practitioners/claim/<str:token>/", views.claim_confirm, name="directory-claim-confirm"
    ),
    path("for-practitioners/profile/", views.profile_edit, name="directory-profile-edit"),
    path("for-practitioners/locations/new/", views.location_add, name="directory-location-add"),
    path(
        "for-practitioners/locations/<int:pk>/",
        views.location_edit,
        name="directory-location-edit",
    ),
    path(
        "for-practitioners/locations/<int:pk>/delete/",
        views.location_delete,
        name="directory-location-delete",
    ),
    path("for-practitioners/licences/new/", views.licence_submit, name="directory-licence-submit"),
    path("for-practitioners/my-data.json", views.own_data_download, name="directory-data"),
    path("for-practitioners/delete/", views.own_data_delete, name="directory-delete"),
]

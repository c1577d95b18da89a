from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/sent/", views.SignUpDoneView.as_view(), name="signup_done"),
    path("confirm/<str:token>/", views.VerifyEmailView.as_view(), name="verify_email"),
    path("confirm/", views.ResendVerificationView.as_view(), name="resend_verification"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("tokens/", views.ApiTokensView.as_view(), name="tokens"),
]

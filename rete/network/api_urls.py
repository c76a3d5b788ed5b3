from django.contrib.auth.decorators import login_not_required
from django.urls import path

from rete.network import api

app_name = "network_api"
# DRF authenticates API calls itself (session or token); its permission classes refuse them.
urlpatterns = [
    # The receiver's side.
    path("received/", login_not_required(api.received_list), name="received_list"),
    path("received/<int:referral_id>/", login_not_required(api.received_detail), name="received_detail"),
    path("received/<int:referral_id>/accept/", login_not_required(api.received_accept), name="received_accept"),
    path("received/<int:referral_id>/decline/", login_not_required(api.received_decline), name="received_decline"),
    path("received/<int:referral_id>/feedback/", login_not_required(api.received_feedback), name="received_feedback"),
    # The sender's side.
    path("cases/<int:case_id>/", login_not_required(api.case_referrals), name="case_referrals"),
    path("sent/<int:referral_id>/", login_not_required(api.sent_detail), name="sent_detail"),
    path("sent/<int:referral_id>/withdraw/", login_not_required(api.sent_withdraw), name="sent_withdraw"),
]

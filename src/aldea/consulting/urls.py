from django.urls import path

from aldea.consulting import views

app_name = "consulting"

urlpatterns = [
    path("", views.board, name="board"),
    # Engagements have no public code; their integer key is the identifier.
    path("engagement/<int:pk>/", views.engagement, name="engagement"),
    path("engagement/<int:pk>/move/", views.move, name="move"),
    path("engagement/<int:pk>/meetings/", views.add_meeting, name="add_meeting"),
    path("engagement/<int:pk>/actions/", views.add_action_item, name="add_action_item"),
    path("engagement/<int:pk>/actions/done/", views.complete_action_item, name="complete_action_item"),
]

from django.urls import path

from aldea.consulting import views

app_name = "consulting"

urlpatterns = [
    path("", views.board, name="board"),
    # Engagements have no public code; their integer key is the identifier.
    path("mine/", views.todo, name="todo"),
    path("mine/actions/<int:pk>/done/", views.todo_done, name="todo_done"),
    path("drop-reasons/", views.drop_reasons, name="drop_reasons"),
    path("assign/<slug:code>/", views.assign, name="assign"),
    path("assign/<slug:code>/consultants/", views.awaiting_choices, name="awaiting_choices"),
    path("engagement/<int:pk>/", views.engagement, name="engagement"),
    path("engagement/<int:pk>/consultant/", views.reassign, name="reassign"),
    path("engagement/<int:pk>/consultants/", views.consultant_choices, name="consultant_choices"),
    path("engagement/<int:pk>/move/", views.move, name="move"),
    path("engagement/<int:pk>/meetings/", views.add_meeting, name="add_meeting"),
    path("engagement/<int:pk>/actions/", views.add_action_item, name="add_action_item"),
    path("engagement/<int:pk>/actions/done/", views.complete_action_item, name="complete_action_item"),
]

app_name = "council"
urlpatterns: list = []

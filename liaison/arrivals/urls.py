app_name = "arrivals"

urlpatterns: list = []

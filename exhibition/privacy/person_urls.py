app_name = "privacy_person"
urlpatterns = []
